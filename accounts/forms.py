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


EDITOR_ROLE_CHOICES = [("secretariat", _("Secrétariat")), ("elus", _("Élus"))]


class InviteForm(forms.Form):
    """The Pays team invites an editor: only the secretariat or the élus of a collectivité
    (never the Pays' own groups, never a permission)."""

    email = forms.EmailField(label=_("Adresse électronique"))
    role = forms.ChoiceField(label=_("Rôle"), choices=EDITOR_ROLE_CHOICES, widget=forms.RadioSelect)


class HandOverForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique du successeur"))
    immediately = forms.BooleanField(
        label=_("Suspendre le compte sortant tout de suite"),
        help_text=_("Sinon, il est suspendu quand le successeur accepte l'invitation."),
        required=False,
    )


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Nouvelle collectivité"), queryset=None)
    role = forms.ChoiceField(label=_("Rôle"), choices=EDITOR_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, current, **kwargs):
        from communes.models import Collectivite

        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Collectivite.objects.exclude(kind=Collectivite.Kind.PAYS)
            .exclude(pk=current.pk)
            .filter(group_links__role__in=[r for r, _label in EDITOR_ROLE_CHOICES])
            .distinct()
            .order_by("name")
        )


class AcceptInvitationForm(forms.Form):
    """The invitee's username and password; the project's password validators apply."""

    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "off"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (encore)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.validators import UnicodeUsernameValidator

        username = self.cleaned_data["username"].strip()
        UnicodeUsernameValidator(
            message=_("Lettres, chiffres et les caractères @ . + - _ uniquement.")
        )(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Cet identifiant est déjà pris : choisissez-en un autre.")
            )
        return username

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif first:
            user = get_user_model()(username=cleaned.get("username", ""), email=self.email)
            try:
                validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
