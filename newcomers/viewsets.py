"""The newcomers' section in the admin, the Pays team's alone: the applications, their
routing table and the offers' alert subscribers. Offers and the guide are portal pages,
edited in the page explorer, where secretaries have no rights."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from communes.permissions import PaysTeamPolicy
from newcomers.applications.admin_forms import PartnerForm
from newcomers.models.alerts import OfferAlertSubscription
from newcomers.models.applications import Application, Partner


class ApplicationPolicy(PaysTeamPolicy):
    """Applications come from the public form only: the Pays team reads them, sets their
    status and deletes them, never writes one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class ApplicationIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("areas")


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "mail"
    menu_label = _("Candidatures")
    menu_name = "newcomers-applications"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ApplicationIndexView
    list_display = ["name", "sector", "partner_name", "status", "language", "created_at"]
    list_filter = ["status", "sector", "routed_to_pays", "language"]
    search_fields = ["name", "email", "project", "situation"]
    search_backend_name = None
    form_fields = ["status"]
    list_export = [
        "created_at",
        "status",
        "language",
        "name",
        "email",
        "phone",
        "sector",
        "timeframe",
        "area_names",
        "offer_title",
        "situation",
        "project",
        "partner_name",
        "partner_email",
        "routed_to_pays",
    ]
    export_headings = {"area_names": _("territoires souhaités")}
    export_filename = "candidatures"
    inspect_view_fields = [
        "created_at",
        "status",
        "name",
        "email",
        "phone",
        "language",
        "sector",
        "timeframe",
        "area_names",
        "offer_title",
        "situation",
        "project",
        "partner_name",
        "partner_email",
        "sent_to_pays",
    ]

    @property
    def permission_policy(self):
        return ApplicationPolicy(self.model)


class PartnerViewSet(ModelViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partenaires (aiguillage)")
    menu_name = "newcomers-partners"
    add_to_reference_index = False
    copy_view_enabled = False
    list_display = ["name", "email", "sector_labels", "active"]
    list_filter = ["active"]
    search_fields = ["name", "email"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return PartnerForm

    @property
    def permission_policy(self):
        return PaysTeamPolicy(self.model)


class OfferAlertSubscriptionViewSet(ModelViewSet):
    model = OfferAlertSubscription
    icon = "mail"
    menu_label = _("Alertes « reprises »")
    menu_name = "newcomers-alerts"
    list_display = ["email", "language", "created_at", "confirmed_at", "notified_until"]
    list_filter = ["language"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    form_fields = ["email", "language"]
    list_export = ["email", "language", "created_at", "confirmed_at"]

    @property
    def permission_policy(self):
        return PaysTeamPolicy(self.model)


class ApplicationsGroup(ViewSetGroup):
    menu_label = _("Installez-vous")
    menu_icon = "mail"
    menu_order = 250
    items = (
        ApplicationViewSet("newcomers-applications"),
        PartnerViewSet("newcomers-partners"),
        OfferAlertSubscriptionViewSet("newcomers-alerts"),
    )
