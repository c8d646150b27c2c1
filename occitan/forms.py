"""The lexicon's search form: a plain GET form, usable without JavaScript."""

from django import forms
from django.utils.translation import gettext_lazy as _

from occitan.services.lookup import Direction


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mot ou expression"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sens = forms.ChoiceField(
        label=_("Sens de la recherche"),
        choices=[
            (Direction.BOTH, _("Les deux")),
            (Direction.FRENCH, _("Français → occitan")),
            (Direction.OCCITAN, _("Occitan → français")),
        ],
        required=False,
        initial=Direction.BOTH,
        widget=forms.RadioSelect,
    )

    def clean_sens(self):
        return self.cleaned_data.get("sens") or Direction.BOTH
