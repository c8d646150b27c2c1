from django import forms
from django.utils.translation import gettext_lazy as _

from communes.public_forms import email_field, honeypot_field


class SubscriptionForm(forms.Form):
    email = email_field()
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
    site_web = honeypot_field()  # communes.public_forms.HONEYPOT
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
