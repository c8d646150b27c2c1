"""The factory in the admin: actions on the Collectivités listing, the provisioning journal,
and the 410 of archived sites."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from sitefactory.bulk_actions import (
    ArchiveBulkAction,
    ProvisionBulkAction,
    ReprovisionBulkAction,
    RestoreBulkAction,
    collectivite_listing_buttons,
)
from sitefactory.services.lifecycle import ARCHIVE_ACTION, RESTORE_ACTION, archived_name_for_page
from sitefactory.views import archived_site
from sitefactory.viewsets import ProvisioningLogViewSet


@hooks.register("before_serve_page")
def answer_gone_for_archived_pages(page, request, serve_args, serve_kwargs):
    """A page of an archived site that is live again (an editor published it) stays gone,
    whatever hostname it is reached by (the portal's /communes/<slug>/ too)."""
    name = archived_name_for_page(page)
    if name is not None:
        return archived_site(request, name)
    return None


@hooks.register("register_log_actions")
def register_lifecycle_log_actions(actions):
    actions.register_action(
        ARCHIVE_ACTION, _("Archivage du site"), _("Mise hors ligne : site archivé")
    )
    actions.register_action(
        RESTORE_ACTION, _("Restauration du site"), _("Remise en ligne : site restauré")
    )


for action_class in (
    ProvisionBulkAction,
    ReprovisionBulkAction,
    ArchiveBulkAction,
    RestoreBulkAction,
):
    hooks.register("register_bulk_action", action_class)

hooks.register("register_snippet_listing_buttons", collectivite_listing_buttons)


@hooks.register("register_admin_viewset")
def register_provisioning_log_viewset():
    return ProvisioningLogViewSet("provisioning_log")
