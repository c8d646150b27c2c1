"""Promoted results in the admin: the Pays team's alone (a secretary never sees them)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from communes.tenancy import tenancy_for
from search.models import Promotion


class PaysTeamPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return user.is_active and tenancy_for(user).is_pays_staff

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(actions).none()


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


@hooks.register("register_admin_viewset")
def register_promotions():
    return PromotionViewSet("search-promotions")
