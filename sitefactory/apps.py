from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitefactoryConfig(AppConfig):
    name = "sitefactory"
    verbose_name = _("Fabrique de sites")
    default_auto_field = "django.db.models.BigAutoField"
