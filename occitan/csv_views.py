"""The admin's CSV pages of the lexicon: upload a file and read the report; download the
entries or the expressions. For the Pays team and the section's partner groups: whoever may
change entries (or expressions); anyone else, a commune's secretary say, gets a 403."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from communes.admin_guard import tenancy_checked_by_view
from communes.tenancy import tenancy_for
from occitan.services.csv_columns import ENTRIES, EXPRESSIONS, KIND_LABELS
from occitan.services.csv_export import export_csv
from occitan.services.csv_import import CsvFormatError, import_csv
from occitan.services.csv_report import CREATED, UNCHANGED, UPDATED

MAX_CSV_SIZE = 5 * 1024 * 1024
PERMISSIONS = {ENTRIES: "occitan.change_entry", EXPRESSIONS: "occitan.change_expression"}
REASON = (
    "the Pays' shared lexicon, no collectivité's; the view requires the occitan change "
    "permission of the model (403 otherwise)"
)


def forbidden(request):
    """A 403, as the admin guard answers: not Wagtail's redirect to the dashboard."""
    return permission_denied(request, PermissionDenied())


def allowed_kinds(request):
    """The kinds the user may import and export: all for the Pays team (whose group may
    not have the section's permissions yet), else those whose change permission they have."""
    if tenancy_for(request).is_pays_staff:
        return list(PERMISSIONS)
    return [kind for kind, perm in PERMISSIONS.items() if request.user.has_perm(perm)]


class OccitanImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contenu du fichier"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Séparateur « , » ou « ; », en UTF-8 ou Windows-1252, 5 Mo au plus. Colonnes : "
            "french et occitan obligatoires ; les autres comme dans l'export ou les fichiers "
            "d'amorçage. Les lignes importées sont « à relire » : rien n'est publié."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Essai à blanc"),
        required=False,
        help_text=_("Afficher le compte rendu sans rien enregistrer."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
        if kinds:
            self.fields["kind"].initial = kinds[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_SIZE:
            raise forms.ValidationError(
                _("Le fichier pèse %(size)s : 5 Mo au plus. Coupez-le en plusieurs fichiers.")
                % {"size": filesizeformat(upload.size)}
            )
        return upload


@tenancy_checked_by_view(REASON)
class OccitanImportView(WagtailAdminTemplateMixin, FormView):
    form_class = OccitanImportForm
    template_name = "occitan/admin/csv_import.html"
    page_title = _("Importer le lexique occitan")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.kinds = allowed_kinds(request)
        if not self.kinds:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds}

    def get_context_data(self, **kwargs):
        exports = [(KIND_LABELS[kind], reverse(f"occitan_export_{kind}")) for kind in self.kinds]
        return super().get_context_data(exports=exports, **kwargs)

    def form_valid(self, form):
        try:
            report = import_csv(
                form.cleaned_data["file"].read(),
                form.cleaned_data["kind"],
                user=self.request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except CsvFormatError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        counts = [
            (_("créés"), report.counts[CREATED]),
            (_("mis à jour"), report.counts[UPDATED]),
            (_("inchangés"), report.counts[UNCHANGED]),
            (_("rejetés"), report.rejected),
        ]
        return self.render_to_response(
            self.get_context_data(
                form=self.get_form_class()(kinds=self.kinds), report=report, counts=counts
            )
        )


def _export(kind):
    @tenancy_checked_by_view(REASON)
    def view(request):
        if kind not in allowed_kinds(request):
            return forbidden(request)
        response = HttpResponse(export_csv(kind), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="occitan-{kind}.csv"'
        return response

    view.__name__ = f"export_{kind}"
    return view


export_entries = _export(ENTRIES)
export_expressions = _export(EXPRESSIONS)


class CsvMenuItem(MenuItem):
    """« Occitan : import et export », shown to whoever may use the pages."""

    def is_shown(self, request):
        return bool(allowed_kinds(request))
