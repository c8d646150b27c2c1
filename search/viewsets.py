"""Promoted results in the admin: the Pays team's alone (a secretary never sees them)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from communes.permissions import PaysTeamPolicy
from search.models import Promotion


class PromotionViewSet(ModelViewSet):
    model = Promotion
    icon = "pick"
    menu_label = _("Résultats mis en avant")
    menu_name = "search-promotions"
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    list_display = ["title", "keywords", "site", "starts_at", "ends_at"]
    list_filter = ["site"]
    search_fields = ["title", "keywords"]
    search_backend_name = None
    form_fields = [
        "keywords",
        "title",
        "page",
        "url",
        "description",
        "site",
        "starts_at",
        "ends_at",
        "sort_order",
    ]

    @property
    def permission_policy(self):
        return PaysTeamPolicy(self.model)
