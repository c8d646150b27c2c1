from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    """« Installez-vous »: the Pays' guide for newcomers, its takeover offers and its
    application form, on the portal."""

    name = "newcomers"
    verbose_name = _("Installez-vous")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communes import admin_guard, reach, sections

        sections.allow_below("newcomers.GuideIndexPage", ["communes.PortalHomePage"])
        reach.declare_shared(
            {
                "newcomers.OfferAlertSubscription": "the offers' alert, one list for the "
                "Pays, its admin is the Pays team's alone (newcomers.viewsets)",
            }
        )
        admin_guard.PAYS_STAFF_ONLY.update(
            {"newcomers-alerts:": "the subscribers to the offers' alert, for the whole Pays"}
        )
