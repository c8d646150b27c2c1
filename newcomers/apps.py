from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    """« Installez-vous »: the Pays' guide for newcomers, its takeover offers and its
    application form, on the portal."""

    name = "newcomers"
    verbose_name = _("Installez-vous")
    default_auto_field = "django.db.models.BigAutoField"
