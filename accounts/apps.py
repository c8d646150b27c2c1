from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts: lockout after failed logins, two-factor authentication for the admin,
    the log of connections the Pays reads, and the editors' accounts the Pays manages."""

    name = "accounts"
    verbose_name = _("Comptes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communes import admin_guard

        admin_guard.declare_pays_staff_only(
            {
                "accounts-editors:": "the accounts of every collectivité's editors: inviting, "
                "suspending, moving them is the Pays team's job (accounts.admin_editors)",
            }
        )
