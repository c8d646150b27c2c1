from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from communes.hosts import forget_hostnames
from serving.signals import bump_on_change


def connect():
    from communes.models import Banner, Collectivite

    post_save.connect(forget_hostnames, sender=Site, dispatch_uid="bastide-hostnames-save")
    post_delete.connect(forget_hostnames, sender=Site, dispatch_uid="bastide-hostnames-delete")
    # What every page shows around its content is cached per content version
    # (serving.cache): banners and the registry feed it too.
    bump_on_change(Banner, Collectivite)
