from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from directory.admin_views import ImportMenuItem, start_import
from directory.viewsets import DirectoryGroup, ImportRunViewSet

register_snippet(DirectoryGroup)


@hooks.register("register_admin_viewset")
def register_import_journal():
    return ImportRunViewSet("directory-imports")


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("annuaire/importer/", start_import, name="directory_import")]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Importer dans l'annuaire"), reverse("directory_import"), icon_name="download"
    )


@hooks.register("register_settings_menu_item")
def register_journal_menu_item():
    return ImportMenuItem(
        _("Journal des imports"), reverse("directory-imports:index"), icon_name="history"
    )
