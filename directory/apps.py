from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire des services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communes import reach, sections
        from directory import demarches, panels
        from directory.signals import connect

        connect()
        sections.allow_below(
            "directory.ServicesPage", ["communes.PortalHomePage", "communes.CollectiviteHomePage"]
        )
        sections.add_panel(
            "home", "directory/components/nearest_services.html", panels.nearest_services
        )
        sections.add_panel("demarche", "directory/components/fiche.html", panels.demarche_fiche)
        sections.add_panel("portal", "directory/components/communes_map.html", panels.communes_map)
        sections.provide("demarches", demarches)
        reach.declare_shared(
            {
                "directory.Category": "the directory's categories, one list for the Pays",
                "directory.Fiche": "service-public.fr's fiches, public data",
                "directory.ImportRun": "the journal of the Pays's imports, read by whoever "
                "may import",
            }
        )
