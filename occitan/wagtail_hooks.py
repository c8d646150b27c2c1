from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from occitan import csv_views
from occitan.admin_views import suggest_view
from occitan.viewsets import OccitanViewSetGroup

register_snippet(OccitanViewSetGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("occitan/suggest/", suggest_view, name="occitan_suggest"),
        path("occitan/import/", csv_views.OccitanImportView.as_view(), name="occitan_import"),
        path(
            "occitan/export/entries.csv",
            csv_views.export_entries,
            name="occitan_export_entries",
        ),
        path(
            "occitan/export/expressions.csv",
            csv_views.export_expressions,
            name="occitan_export_expressions",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_csv_menu_item():
    return csv_views.CsvMenuItem(
        _("Occitan : import et export"), reverse("occitan_import"), icon_name="upload"
    )
