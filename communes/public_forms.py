"""The fields every public form of the Pays shares: the honeypot robots fill in, and a
resident's email address (contact form, applications, photo call, newcomers' and residents'
alerts). Sections build their forms from these; the guards are in serving.rate_limit."""

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT = "site_web"  # hidden by CSS; anything typed in it is a robot's
CONSENT = "consentement"


def honeypot_field():
    return forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def email_field():
    return forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Cette adresse électronique n'est pas valide (exemple : nom@exemple.fr)."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
