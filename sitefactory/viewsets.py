"""The provisioning journal in the admin: read-only, for whoever manages the registry."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import DateColumn, UserColumn
from wagtail.admin.viewsets.model import ModelViewSet

from communes.permissions import CHANGE_PERMISSION, JournalPermissionPolicy
from sitefactory.admin_views import (
    FIELD_LABELS,
    ProvisioningLogIndexView,
    ProvisioningLogInspectView,
)
from sitefactory.models import ProvisioningLog


class ProvisioningLogViewSet(ModelViewSet):
    model = ProvisioningLog
    index_view_class = ProvisioningLogIndexView
    inspect_view_class = ProvisioningLogInspectView
    icon = "history"
    menu_label = _("Journal de provisionnement")
    menu_name = "provisioning-log"
    add_to_admin_menu = True
    menu_order = 151
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    list_display = [
        "collectivite",
        "blueprint",
        "result",
        "details",
        UserColumn("user", label=FIELD_LABELS["user"], blank_display_name=_("ligne de commande")),
        DateColumn("created_at", label=_("Date"), sort_key="created_at"),
    ]
    list_filter = ["result"]
    search_fields = ["collectivite__name", "collectivite__code", "details"]
    search_backend_name = None
    inspect_view_fields = ["collectivite", "blueprint", "result", "details", "user", "created_at"]

    @property
    def permission_policy(self):
        # Read-only, for whoever manages the registry: the journal is written by the factory.
        return JournalPermissionPolicy(self.model, CHANGE_PERMISSION)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=ProvisioningLog.objects.select_related("collectivite", "user"), **kwargs
        )

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]
