from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecycleBinConfig(AppConfig):
    name = "recyclebin"
    verbose_name = _("Corbeille")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.admin.api.views import PagesAdminAPIViewSet

        from recyclebin.api import DeleteToRecycleBinAPIAction

        PagesAdminAPIViewSet.actions = {
            **PagesAdminAPIViewSet.actions,
            "delete": DeleteToRecycleBinAPIAction,
        }
