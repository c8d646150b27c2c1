"""The public application form, guarded against robots as the contact form is."""

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communes.models import Collectivite
from communes.public_forms import CONSENT, HONEYPOT, honeypot_field
from newcomers.applications.retention import retention_days
from newcomers.models.applications import Application, Timeframe
from newcomers.models.sectors import Sector

OFFER_PARAMETER = "offre"
OFFER_MODEL = ("newcomers", "OfferPage")
PAGE_ID_MAX = 2**31 - 1  # wagtailcore_page.id is a 32-bit integer
AREA_ID_MAX = 2**63 - 1  # communes_collectivite.id, a 64-bit one


def live_offer(value):
    """The live takeover offer whose page id is `value`, or None (no such offer, not live,
    or no offers in this install yet)."""
    try:
        offer_model = apps.get_model(*OFFER_MODEL)
    except LookupError:
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < pk <= PAGE_ID_MAX:
        return None  # no page has it, and the database would refuse to compare it
    return offer_model.objects.live().filter(pk=pk).first()


def area_choices():
    """The EPCI of the Pays, then its communes, as the candidate chooses where to settle."""
    kinds = [Collectivite.Kind.EPCI, Collectivite.Kind.COMMUNE]
    return (
        Collectivite.objects.filter(kind__in=kinds, merged_into=None)
        .exclude(status=Collectivite.Status.ARCHIVED)
        .order_by("-kind", "name")
        .only("pk", "name", "kind")
    )


def retention_text():
    days = retention_days()
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s an", "%(count)s ans", years) % {"count": years}
    return ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}


class AreaField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # Django hands any integer to the database, which overflows on 20 digits.
        for pk in value:
            if not (str(pk).isascii() and str(pk).isdigit() and len(str(pk)) <= 19) or (
                int(pk) > AREA_ID_MAX
            ):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

    def label_from_instance(self, obj):
        if obj.kind == Collectivite.Kind.EPCI:
            return _("%(name)s (communauté de communes)") % {"name": obj.name}
        return obj.name


class ApplicationForm(forms.ModelForm):
    areas = AreaField(
        queryset=Collectivite.objects.none(),
        label=_("Territoires souhaités"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Une ou plusieurs communautés de communes ou communes du Pays."),
    )
    offer = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = ["situation", "project", "sector", "timeframe", "areas", "name", "email", "phone"]
        labels = {
            "situation": _("Votre situation actuelle"),
            "project": _("Votre projet"),
            "sector": _("Secteur d'activité"),
            "timeframe": _("Échéance"),
            "name": _("Nom et prénom"),
            "email": _("Courriel"),
            "phone": _("Téléphone"),
        }
        help_texts = {
            "situation": _("Par exemple : salarié, chef d'entreprise, en reconversion…"),
            "project": _("Ce que vous souhaitez créer ou reprendre, et avec qui."),
        }
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 3}),
            "project": forms.Textarea(attrs={"rows": 6}),
            "sector": forms.RadioSelect,
            "timeframe": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = area_choices()
        self.fields["sector"].choices = Sector.choices
        # Without this the required field's blank choice is a radio button labelled
        # « --------- », which a screen reader reads as dashes.
        self.fields["timeframe"].choices = Timeframe.choices
        self.fields[HONEYPOT] = honeypot_field()
        self.fields[CONSENT] = forms.BooleanField(
            label=_(
                "J'accepte que le Pays transmette ces informations au partenaire qui suit mon "
                "secteur, pour m'accompagner dans mon projet. Elles sont conservées %(period)s, "
                "puis effacées."
            )
            % {"period": retention_text()},
            required=True,
            error_messages={"required": _("Cochez cette case pour envoyer votre candidature.")},
        )

    def _one_line(self, name):
        # Names and numbers go into email headers and spreadsheet cells: one line each.
        return " ".join(self.cleaned_data.get(name, "").split())

    def clean_name(self):
        return self._one_line("name")

    def clean_phone(self):
        return self._one_line("phone")

    def clean_offer(self):
        """An offer that is not (or no longer) live is dropped, not refused: the candidate
        still applies."""
        return live_offer(self.cleaned_data.get("offer"))
