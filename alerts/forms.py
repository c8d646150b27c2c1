from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT = "site_web"


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre adresse électronique."),
            "invalid": _("Cette adresse électronique n'est pas valide (exemple : nom@exemple.fr)."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    banners = forms.BooleanField(
        label=_("Les alertes urgentes (coupures, intempéries, arrêtés…)"),
        required=False,
        initial=True,
    )
    meetings = forms.BooleanField(
        label=_("Les prochaines séances du conseil, dès leur annonce"),
        required=False,
        initial=True,
    )
    site_web = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    consentement = forms.BooleanField(
        label=_(
            "J'accepte que mon adresse soit conservée pour m'envoyer ces alertes ; chaque "
            "message contient un lien pour me désabonner en un clic."
        ),
        error_messages={"required": _("Cochez cette case pour vous abonner.")},
    )

    def clean(self):
        data = super().clean()
        if not data.get("banners") and not data.get("meetings"):
            self.add_error("banners", _("Choisissez au moins une sorte d'alerte."))
        return data
