from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts: lockout after failed logins, two-factor authentication for the admin,
    and the log of connections the Pays reads."""

    name = "accounts"
    verbose_name = _("Comptes")
    default_auto_field = "django.db.models.BigAutoField"
