from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewcomersConfig(AppConfig):
    """« Installez-vous »: the Pays' guide for newcomers, its takeover offers and its
    application form, on the portal."""

    name = "newcomers"
    verbose_name = _("Installez-vous")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        self._application_form()

    def _application_form(self):
        from communes import admin_guard, sections
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
        admin_guard.declare_pays_staff_only(
            {
                "newcomers-applications:": "candidates' applications, for the Pays team "
                "that routes them",
                "newcomers-partners:": "the routing table of the applications, the Pays team's",
            }
        )
