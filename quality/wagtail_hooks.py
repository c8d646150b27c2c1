from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.admin_views import PaysOnlyMenuItem
from quality import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("qualite/", include(admin_urls, namespace="quality"))]


@hooks.register("register_admin_menu_item")
def quality_menu_item():
    return PaysOnlyMenuItem(
        _("Qualité des sites"), reverse("quality:index"), name="qualite", icon_name="tasks",
        order=170,
    )  # fmt: skip
