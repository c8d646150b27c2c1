from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT = "site_web"


class AlertForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Cette adresse électronique n'est pas valide (exemple : nom@exemple.fr)."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    site_web = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consentement = forms.BooleanField(
        label=_(
            "J'accepte de recevoir par courriel les nouvelles offres de reprise ; "
            "chaque message contient un lien pour me désinscrire."
        ),
        error_messages={"required": _("Cochez cette case pour vous abonner.")},
    )
