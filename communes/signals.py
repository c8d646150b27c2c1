from wagtail.signals import copy_for_translation_done

from communes.translation_permissions import pays_team_permissions_follow
from serving.signals import bump_on_change, register_collection_sites, site_of_instance


def connect():
    from communes.models import Banner, Collectivite

    # What every page shows around its content is cached per content version
    # (serving.cache): banners and the registry feed it too.
    # A site's banner bumps that site; an EPCI's or the Pays' bumps every site.
    bump_on_change(Banner, sites=site_of_instance)
    bump_on_change(Collectivite)
    # Each collectivité's images and documents are in its collection: a change to one bumps
    # that collectivité's site only.
    register_collection_sites(collection_sites)
    copy_for_translation_done.connect(
        pays_team_permissions_follow, dispatch_uid="bastide-translation-permissions"
    )


def collection_sites():
    """Collection id -> site id of the collectivité whose collection it is."""
    from communes.models import Collectivite

    return dict(
        Collectivite.objects.filter(collection__isnull=False, site__isnull=False).values_list(
            "collection_id", "site_id"
        )
    )
