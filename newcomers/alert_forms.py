from django import forms
from django.utils.translation import gettext_lazy as _

from communes.public_forms import email_field, honeypot_field


class AlertForm(forms.Form):
    email = email_field()
    site_web = honeypot_field()  # communes.public_forms.HONEYPOT
    consentement = forms.BooleanField(
        label=_(
            "J'accepte de recevoir par courriel les nouvelles offres de reprise ; "
            "chaque message contient un lien pour me désinscrire."
        ),
        error_messages={"required": _("Cochez cette case pour vous abonner.")},
    )
