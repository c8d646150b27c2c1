from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Collectivités")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .admin_filters import narrow_page_filters
        from .admin_guard import declare_pays_staff_only
        from .exports import neutralise_spreadsheet_exports
        from .signals import connect

        connect()
        neutralise_spreadsheet_exports()
        narrow_page_filters()
        declare_pays_staff_only(
            {"communes_moderation": "pending publications of every collectivité"}
        )
