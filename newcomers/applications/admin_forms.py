"""The routing table's form: which sectors a partner follows, one active partner a sector."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from newcomers.models.applications import Partner
from newcomers.models.sectors import Sector


class PartnerForm(WagtailAdminModelForm):
    sectors = forms.MultipleChoiceField(
        label=_("Secteurs suivis"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les candidatures de ces secteurs lui sont transmises. Un secteur sans partenaire "
            "actif est adressé au Pays."
        ),
    )

    class Meta:
        model = Partner
        fields = ["name", "email", "sectors", "active"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("active"):
            return cleaned
        labels = dict(Sector.choices)
        others = Partner.objects.filter(active=True).exclude(pk=self.instance.pk)
        for other in others:
            for sector in set(cleaned.get("sectors") or []) & set(other.sectors):
                self.add_error(
                    "sectors",
                    _("Le secteur « %(sector)s » est déjà suivi par %(partner)s.")
                    % {"sector": labels[sector], "partner": other.name},
                )
        return cleaned
