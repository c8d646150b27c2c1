"""The offers' filters: a GET form, so that they work without JavaScript and can be
bookmarked."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.agenda_filters import QuickSelect
from newcomers.models.sectors import Sector

# (value, label, low, high) in euros; an offer matches a band when its price range meets it.
PRICE_BANDS = [
    ("moins-50000", _("Moins de 50 000 €"), None, 50_000),
    ("50000-150000", _("De 50 000 à 150 000 €"), 50_000, 150_000),
    ("150000-300000", _("De 150 000 à 300 000 €"), 150_000, 300_000),
    ("plus-300000", _("Plus de 300 000 €"), 300_000, None),
]


class OfferFilterForm(forms.Form):
    # Options written in Python (QuickSelect): Django's template per <option> was a third
    # of a view of the offers.
    secteur = forms.ChoiceField(label=_("Secteur"), required=False, widget=QuickSelect)
    epci = forms.ChoiceField(label=_("Communauté de communes"), required=False, widget=QuickSelect)
    prix = forms.ChoiceField(label=_("Prix"), required=False, widget=QuickSelect)

    def __init__(self, *args, epcis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secteur"].choices = [("", _("Tous les secteurs")), *Sector.choices]
        self.fields["epci"].choices = [("", _("Tout le Pays"))] + [
            (e["code"], e["name"]) for e in epcis
        ]
        self.fields["prix"].choices = [("", _("Tous les prix"))] + [
            (value, label) for value, label, _low, _high in PRICE_BANDS
        ]
        for name in ("secteur", "epci", "prix"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Ce choix n'existe pas : choisissez dans la liste."
            )

    def filter_q(self):
        """The offers the cleaned filters keep."""
        data, q = self.cleaned_data, Q()
        if data.get("secteur"):
            q &= Q(sector=data["secteur"])
        if data.get("epci"):
            q &= Q(epci__code=data["epci"])
        if data.get("prix"):
            low, high = next((b[2], b[3]) for b in PRICE_BANDS if b[0] == data["prix"])
            # Overlap of [price_min, price_max] with [low, high); an open end matches.
            if high is not None:
                q &= Q(price_min__lt=high) | Q(price_min__isnull=True, price_max__lt=high)
            if low is not None:
                q &= Q(price_max__gte=low) | Q(price_max__isnull=True, price_min__gte=low)
            q &= Q(price_min__isnull=False) | Q(price_max__isnull=False)
        return q
