"""Admin views of the registry: the Collectivités listing and the CSV import."""

from django.db import transaction
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import IndexView

from communes.forms import RegistryImportForm
from communes.permissions import CHANGE_PERMISSION
from communes.services.registry import (
    CREATED,
    UNCHANGED,
    UPDATED,
    CsvFormatError,
    import_registry_csv,
)


class SiteLinkColumn(Column):
    cell_template_name = "communes/admin/site_link_cell.html"


class CollectiviteIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm(CHANGE_PERMISSION):
            buttons.append(
                HeaderButton(
                    _("Importer un CSV"),
                    url=reverse("communes_import_registry"),
                    icon_name="upload",
                )
            )
        return buttons

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if "epci" in row:
            # The code, not the name: an export must import back unchanged.
            row["epci"] = item.epci.code if item.epci_id else ""
        return row


class RegistryImportView(WagtailAdminTemplateMixin, FormView):
    """Create or update collectivités from the Pays' spreadsheet; report each rejected line."""

    form_class = RegistryImportForm
    template_name = "communes/admin/import_registry.html"
    page_title = _("Importer le registre")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse_lazy("wagtailsnippets_communes_collectivite:list"),
                "label": _("Collectivités"),
            },
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        try:
            with transaction.atomic():
                report = import_registry_csv(form.cleaned_data["file"].read())
        except CsvFormatError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        counts = [
            (_("créées"), report.counts[CREATED]),
            (_("mises à jour"), report.counts[UPDATED]),
            (_("inchangées"), report.counts[UNCHANGED]),
            (_("rejetées"), len(report.errors)),
        ]
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), report=report, counts=counts)
        )
