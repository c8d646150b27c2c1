"""The public filter form of the services list: where, what, how far."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.places import communes_in, resolve_place

DISTANCES_KM = (2, 5, 10, 20, 50)
DEFAULT_RADIUS_KM = 10


class ServicesFilterForm(forms.Form):
    pres = forms.CharField(
        label=gettext_lazy("Code postal ou commune"),
        help_text=gettext_lazy("Par exemple 24100 ou Lalinde."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    categorie = forms.ChoiceField(label=gettext_lazy("Catégorie"), required=False)
    commune = forms.ChoiceField(label=gettext_lazy("Commune"), required=False)
    distance = forms.TypedChoiceField(
        label=gettext_lazy("Distance"),
        choices=[(km, f"{km} km") for km in DISTANCES_KM],
        coerce=int,
        empty_value=None,
        required=False,
        initial=DEFAULT_RADIUS_KM,
    )
    # Filled by the "près de chez moi" button from the browser's geolocation.
    lat = forms.FloatField(
        label=gettext_lazy("Latitude de votre position"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    lon = forms.FloatField(
        label=gettext_lazy("Longitude de votre position"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )

    def __init__(self, data=None, *, reference, **kwargs):
        super().__init__(data, **kwargs)
        self.reference = reference
        self.place = None
        self.fields["categorie"].choices = [("", _("Toutes les catégories"))] + list(
            reference["categories"]
        )
        self.fields["commune"].choices = [("", _("Toutes les communes"))] + [
            (p["code"], p["name"]) for p in communes_in(reference)
        ]

    def clean_pres(self):
        text = self.cleaned_data["pres"].strip()
        if text:
            self.place = resolve_place(text, self.reference)
            if self.place is None:
                raise forms.ValidationError(
                    _("Aucune commune du Pays ne correspond à « %s ». Essayez un code postal.")
                    % text
                )
        return text

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None) and not (
            self.has_error("lat") or self.has_error("lon")
        ):
            self.add_error(
                None, _("Votre position est incomplète : réessayez « Près de chez moi ».")
            )
        return data

    def describe_errors(self):
        """Tie each error message to its field, for screen readers."""
        for name, field in self.fields.items():
            if self.has_error(name) and not field.widget.is_hidden:
                bound = self[name]
                ids = [f"{bound.auto_id}-error"]
                if field.help_text:
                    ids.insert(0, f"{bound.auto_id}_helptext")
                field.widget.attrs["aria-describedby"] = " ".join(ids)
