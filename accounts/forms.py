from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class AccountRescueForm(forms.Form):
    """The Pays helps a user who is locked out or has lost the phone with the app."""

    UNLOCK = "unlock"
    RESET_TWO_FACTOR = "reset-two-factor"

    username = forms.CharField(label=_("Identifiant"), max_length=150)
    action = forms.ChoiceField(
        label=_("Action"),
        widget=forms.RadioSelect,
        choices=[
            (UNLOCK, _("Débloquer le compte (après trop d'échecs de connexion)")),
            (RESET_TWO_FACTOR, _("Réinitialiser la double authentification (téléphone perdu)")),
        ],
    )

    def __init__(self, *args, requested_by, **kwargs):
        super().__init__(*args, **kwargs)
        self.requested_by = requested_by

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Aucun compte ne porte cet identifiant."))
        # A superuser's second factor stays out of reach of anyone who is not one.
        if user.is_superuser and not self.requested_by.is_superuser:
            raise forms.ValidationError(
                _("Ce compte ne peut être modifié que par un superutilisateur.")
            )
        self.user = user
        return username
