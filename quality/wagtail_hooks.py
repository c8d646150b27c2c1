from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from communes.admin_menu import PaysStaffMenuItem
from quality import admin_urls
from quality.admin_interventions import InterventionsCsvView, InterventionsView


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("qualite/interventions/", InterventionsView.as_view(), name="quality_interventions"),
        path(
            "qualite/interventions/export.csv",
            InterventionsCsvView.as_view(),
            name="quality_interventions_csv",
        ),
        path("qualite/", include(admin_urls, namespace="quality")),
    ]


@hooks.register("register_admin_menu_item")
def quality_menu_item():
    return PaysStaffMenuItem(
        _("Qualité des sites"), reverse("quality:index"), name="qualite", icon_name="tasks",
        order=170,
    )  # fmt: skip


@hooks.register("register_reports_menu_item")
def interventions_menu_item():
    return PaysStaffMenuItem(
        _("Interventions du Pays"),
        reverse("quality_interventions"),
        name="interventions-du-pays",
        icon_name="history",
        order=1200,
    )
