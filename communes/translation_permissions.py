"""The Pays team's page permissions follow the pages into their translations.

The blueprint grants the Pays team its page permissions on the portal's French home.
wagtail-localize puts an English or Occitan copy of a tree beside the French one (its own
root under Wagtail's root page), where those permissions do not reach: without this, the
team could start a translation (« Traduire ») and not edit it. Secretaries' permissions are
not copied: content translation is the Pays team's (docs/i18n.md).
"""

from wagtail.models import GroupPagePermission, Page

from communes.models import Collectivite, CollectiviteGroup
from communes.tenancy import PAYS_TEAM_ROLE


def pays_team_permissions_follow(sender, source_obj=None, target_obj=None, **kwargs):
    if not isinstance(target_obj, Page) or target_obj.pk is None:
        return
    chain = {
        page["translation_key"]: page["id"]
        for page in target_obj.get_ancestors(inclusive=True)
        .filter(depth__gt=1)
        .values("id", "translation_key")
    }
    team = CollectiviteGroup.objects.filter(
        role=PAYS_TEAM_ROLE, collectivite__kind=Collectivite.Kind.PAYS
    ).values("group_id")
    granted = GroupPagePermission.objects.filter(
        group__in=team, page__translation_key__in=list(chain)
    ).values_list("group_id", "permission_id", "page__translation_key", "page_id")
    have = {(g, p, page_id) for g, p, _key, page_id in granted}
    missing = {
        (group_id, perm_id, chain[key])
        for group_id, perm_id, key, _page_id in granted
        if (group_id, perm_id, chain[key]) not in have
    }
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group_id=g, permission_id=p, page_id=page) for g, p, page in missing],
        ignore_conflicts=True,
    )
