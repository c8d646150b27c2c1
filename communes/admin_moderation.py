"""The moderation the Pays team reads: the dashboard panel and « Publications à approuver ».

Wagtail's « En attente de votre vérification » panel is replaced (construct_homepage_panels)
by one whose items name their collectivité and link to the diff; the list gathers every
pending page and snippet of the Pays, by collectivité. Both act through Wagtail's own
workflow action views.
"""

from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from communes.admin_menu import PaysStaffMenuItem
from communes.models import Collectivite
from communes.moderation import in_scope, pending_items
from communes.tenancy import tenancy_for

PANEL_LIMIT = 20


class PendingModerationPanel(Component):
    name = WorkflowObjectsToModeratePanel.name
    order = WorkflowObjectsToModeratePanel.order
    template_name = "communes/admin/moderation/panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        is_pays_staff = tenancy_for(self.request).is_pays_staff
        # The Pays team sees what it may act on; everything pending is on the list page.
        items = [item for item in pending_items(user) if item.actions or not is_pays_staff]
        return {
            "items": items[:PANEL_LIMIT],
            "list_url": reverse("communes_moderation") if is_pays_staff else "",
            "request": self.request,
        }


def replace_moderation_panel(request, panels):
    for index, panel in enumerate(panels):
        if isinstance(panel, WorkflowObjectsToModeratePanel):
            panels[index] = PendingModerationPanel(request)


def _int(value):
    return int(value) if value and value.isdigit() else None


class PendingModerationView(WagtailAdminTemplateMixin, TemplateView):
    """« Publications à approuver »: every page and snippet in a workflow, by collectivité."""

    template_name = "communes/admin/moderation/index.html"
    page_title = _("Publications à approuver")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not tenancy_for(request).is_pays_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        collectivite_id = _int(self.request.GET.get("collectivite"))
        epci_id = _int(self.request.GET.get("epci"))
        everything = pending_items(self.request.user)
        items = [item for item in everything if in_scope(item, collectivite_id, epci_id)]
        items.sort(key=lambda item: item.collectivite.name if item.collectivite else "")
        groups = [
            (collectivite, list(group))
            for collectivite, group in groupby(items, key=lambda item: item.collectivite)
        ]
        # Only the collectivités and EPCIs something waits for are offered.
        waiting = {
            item.collectivite.pk: item.collectivite for item in everything if item.collectivite
        }
        epci_ids = {c.epci_id for c in waiting.values() if c.epci_id} | {
            c.pk for c in waiting.values() if c.kind == Collectivite.Kind.EPCI
        }
        context.update(
            groups=groups,
            collectivite_id=collectivite_id,
            epci_id=epci_id,
            collectivite_choices=sorted(waiting.values(), key=lambda c: c.name),
            epci_choices=Collectivite.objects.filter(pk__in=epci_ids).order_by("name"),
        )
        return context


def moderation_menu_item():
    return PaysStaffMenuItem(
        _("Publications à approuver"),
        reverse("communes_moderation"),
        name="publications-a-approuver",
        icon_name="tasks",
        order=50,
    )
