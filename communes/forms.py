"""Admin forms: the registry's CSV import, and banners narrowed to the editor's sites."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Site

from communes.models import Banner, Collectivite
from communes.tenancy import tenancy_for

MAX_CSV_SIZE = 5 * 1024 * 1024


class RegistryImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Une ligne par collectivité, séparateur « ; » ou « , », en UTF-8 ou Windows-1252. "
            "Colonnes : code (INSEE ou SIREN) et nom obligatoires ; type, codes_postaux, "
            "population, epci, latitude, longitude, wikidata facultatives. 5 Mo au plus."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_SIZE:
            raise forms.ValidationError(
                _("Le fichier pèse %(size)s : 5 Mo au plus. Coupez-le en plusieurs fichiers.")
                % {"size": filesizeformat(upload.size)}
            )
        return upload


class BannerForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tenancy = tenancy_for(self.for_user) if self.for_user else None
        self.pays_staff = tenancy is None or tenancy.is_pays_staff
        if not self.pays_staff:
            sites = Site.objects.filter(pk__in=tenancy.site_ids)
            self.fields["site"].queryset = sites
            self.fields["site"].required = True
            self.fields["site"].empty_label = None
            self.fields["site"].help_text = ""
            self.fields.pop("epci", None)
            self.fields["level"].choices = [
                c for c in Banner.Level.choices if c[0] != Banner.Level.URGENT
            ]
            self.fields["link_page"].queryset = self.fields["link_page"].queryset.filter(
                tenancy.page_filter()
            )
        elif "epci" in self.fields:
            self.fields["epci"].queryset = Collectivite.objects.filter(kind=Collectivite.Kind.EPCI)

    def clean_level(self):
        level = self.cleaned_data["level"]
        if level == Banner.Level.URGENT and not self.pays_staff:
            raise forms.ValidationError(_("Seule l'équipe du Pays publie les bandeaux urgents."))
        return level
