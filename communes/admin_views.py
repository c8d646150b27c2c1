"""Admin views of the registry (the Collectivités listing and the CSV import) and the
editors' guide (« Aide », communes.services.guide)."""

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import IndexView

from communes.admin_guard import tenancy_checked_by_view
from communes.forms import RegistryImportForm
from communes.permissions import CHANGE_PERMISSION
from communes.services.guide import image_path, render_guide
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


GUIDE_REASON = "the same guide for every editor: it shows nothing of any collectivité"


@tenancy_checked_by_view(GUIDE_REASON)
class GuideView(WagtailAdminTemplateMixin, TemplateView):
    """The secretaries' guide, with its table of contents and whom to call at the Pays."""

    template_name = "communes/admin/guide.html"
    header_icon = "help"

    @cached_property
    def guide(self):
        return render_guide()

    def get_page_title(self):
        return self.guide.title or _("Aide")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guide"] = self.guide
        context["support_email"] = settings.PAYS_SUPPORT_EMAIL
        context["support_phone"] = settings.PAYS_SUPPORT_PHONE
        return context


@tenancy_checked_by_view(GUIDE_REASON)
@require_safe
def guide_image(request, screenshot):
    """A screenshot of the guide: a file of docs/guide-secretaire/ by its name, nothing else."""
    path = image_path(screenshot)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    # Behind the login like the guide; they change only with a new release.
    response["Cache-Control"] = "private, max-age=86400"
    return response


# Wagtail's « Aide » menu items that lead to its English guide (wagtail.admin.wagtail_hooks).
WAGTAIL_GUIDE_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


def guide_in_help_menu(request, items):
    """« Aide » opens our guide, in French, instead of guide.wagtail.org in English; the
    keyboard shortcuts stay."""
    items[:] = [item for item in items if not item.name.startswith(WAGTAIL_GUIDE_ITEMS)]
    items.insert(
        0,
        MenuItem(
            _("Guide d'utilisation"),
            reverse("communes_guide"),
            name="guide-secretaire",
            icon_name="help",
            order=1000,
        ),
    )
