from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    """« Installez-vous »: the Pays' guide for newcomers, its takeover offers and its
    application form, on the portal."""

    name = "newcomers"
    verbose_name = _("Installez-vous")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        self._guide()
        self._application_form()

    def _guide(self):
        from communes import admin_guard, reach, sections

        sections.allow_below("newcomers.GuideIndexPage", ["communes.PortalHomePage"])
        reach.declare_shared(
            {
                "newcomers.OfferAlertSubscription": "the offers' alert, one list for the "
                "Pays, its admin is the Pays team's alone (newcomers.viewsets)",
            }
        )
        admin_guard.declare_pays_staff_only(
            {"newcomers-alerts:": "the subscribers to the offers' alert, for the whole Pays"}
        )

    def _application_form(self):
        from communes import admin_guard, reach, sections
        from newcomers.applications import panels
        from newcomers.models.application_page import GUIDE_INDEX, ApplicationPage

        parents = list(ApplicationPage.parent_page_types)
        try:
            self.get_model(GUIDE_INDEX.split(".")[1])
        except LookupError:
            pass  # the guide is not installed yet: the form lives below the portal's home
        else:
            parents.append(GUIDE_INDEX)
        ApplicationPage.parent_page_types = parents
        sections.allow_below("newcomers.ApplicationPage", parents)
        sections.add_panel(
            "personal-data", "newcomers/components/personal_data.html", panels.personal_data
        )
        # Nobody's but the Pays team's: out of every other user's reach, wherever an id or
        # a log entry of them turns up (reports, history, choosers).
        for model in (self.get_model("Application"), self.get_model("Partner")):
            reach.register_reach(model)(lambda tenancy, obj: False)
            reach.register_narrowing(model)(lambda tenancy, queryset: queryset.none())
        admin_guard.declare_pays_staff_only(
            {
                "newcomers-applications:": "candidates' applications, for the Pays team "
                "that routes them",
                "newcomers-partners:": "the routing table of the applications, the Pays team's",
            }
        )
