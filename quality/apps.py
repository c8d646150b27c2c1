from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    """The Pays team's « démarche qualité »: which sites are alive and complete, broken links,
    images without alternative text and inaccessible documents, the weekly digest to each
    secretary, and the month's interventions of the Pays team per collectivité."""

    name = "quality"
    verbose_name = _("Qualité des sites")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communes import admin_guard

        admin_guard.declare_pays_staff_only(
            {
                "quality:": "the quality of every collectivité's site, its to-dos and its "
                "editors' pending pages: the Pays team's « démarche qualité »",
                "quality_interventions": "the Pays team's interventions on every collectivité",
                "quality_interventions_csv": "the Pays team's interventions on every collectivité",
            }
        )
