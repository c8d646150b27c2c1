"""The newcomers' section in the admin: the Pays team's alone. Offers are pages on the
portal (edited in the page explorer, where secretaries have no rights); the alert's
subscribers are read and removed here."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from communes.permissions import PaysTeamPolicy
from newcomers.models import OfferAlertSubscription


class OfferAlertSubscriptionViewSet(ModelViewSet):
    model = OfferAlertSubscription
    icon = "mail"
    menu_label = _("Alertes « reprises »")
    menu_name = "newcomers-alerts"
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["email", "language", "created_at", "confirmed_at", "notified_until"]
    list_filter = ["language"]
    search_fields = ["email"]
    ordering = ["-created_at"]
    form_fields = ["email", "language"]
    list_export = ["email", "language", "created_at", "confirmed_at"]

    @property
    def permission_policy(self):
        return PaysTeamPolicy(self.model)
