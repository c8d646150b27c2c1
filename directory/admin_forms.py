"""Admin forms of the directory: starting an import, and editing an entry (an edit to a
field that an import wrote locks it, so the next import leaves it alone)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from communes.models import Collectivite
from communes.tenancy import tenancy_for
from directory.importers import IMPORTERS, get_importer
from directory.models import OpeningHours, ServiceEntry

SOURCES = [
    ("annuaire", _("Annuaire de l'administration (fichier JSON ou export de l'API)")),
    ("comarquage", _("Fiches service-public.fr (XML ou zip)")),
    ("france-services", _("France Services (GeoJSON de l'ANCT)")),
    ("csv", _("Fichier CSV du Pays")),
    ("producteurs", _("Producteurs locaux (page web)")),
    ("mairies", _("Mairies du registre (sans fichier)")),
]

LOCKABLE = {
    "name": _("nom"),
    "category": _("catégorie"),
    "description": _("description"),
    "address": _("adresse"),
    "postcode": _("code postal"),
    "city": _("ville"),
    "commune": _("commune"),
    "latitude": _("latitude"),
    "longitude": _("longitude"),
    "position_approximate": _("position approximative"),
    "phone": _("téléphone"),
    "email": _("courriel"),
    "website": _("site internet"),
    "accessibility": _("accessibilité"),
    "extra": _("informations complémentaires"),
    "hours": _("horaires"),
}


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=SOURCES)
    file = forms.FileField(label=_("Fichier"), required=False)
    url = forms.URLField(
        label=_("ou adresse à lire"),
        required=False,
        assume_scheme="https",
        help_text=_("Une adresse http ou https, lue avec un délai et une taille maximale."),
    )
    dry_run = forms.BooleanField(
        label=_("Essai à blanc"),
        required=False,
        help_text=_("Compte ce qui changerait, sans rien enregistrer."),
    )
    confirm = forms.BooleanField(
        label=_("Confirmer l'archivage"),
        required=False,
        help_text=_(
            "Un import n'archive, sans cette case, pas plus d'une part de ce que couvre son "
            "fichier : au-delà, il s'arrête avant d'archiver et le journal le dit."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if not source:
            return cleaned  # the field says what is wrong
        if source not in IMPORTERS:
            raise forms.ValidationError(_("Source inconnue."))
        if get_importer(source).needs_origin and not cleaned.get("file") and not cleaned.get("url"):
            raise forms.ValidationError(_("Envoyez un fichier ou donnez une adresse à lire."))
        return cleaned


class ServiceEntryForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locked_fields"] = forms.MultipleChoiceField(
            label=_("Champs verrouillés"),
            choices=list(LOCKABLE.items()),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=self.instance.locked_fields,
            help_text=ServiceEntry._meta.get_field("locked_fields").help_text,
        )
        tenancy = tenancy_for(self.for_user) if self.for_user else None
        if tenancy is not None and not tenancy.is_pays_staff:
            field = self.fields["commune"]
            field.queryset = Collectivite.objects.filter(pk__in=tenancy.collectivite_ids)
            field.required = True
            field.empty_label = None

    def clean(self):
        cleaned = super().clean()
        locked = set(cleaned.get("locked_fields") or [])
        if self.instance.pk and self.instance.source != "local":
            # What the editor changed now is theirs: the next import leaves it alone.
            locked |= self._really_changed(cleaned) - set(self.initial.get("locked_fields") or [])
        cleaned["locked_fields"] = sorted(locked)
        return cleaned

    def _really_changed(self, cleaned):
        """Fields whose value differs from the saved one (not just re-posted)."""
        saved = ServiceEntry.objects.get(pk=self.instance.pk)
        changed = set()
        for name in LOCKABLE:
            if name == "hours" or name not in cleaned:
                continue
            old, new = getattr(saved, name), cleaned[name]
            if hasattr(old, "pk") or hasattr(new, "pk"):
                old, new = getattr(old, "pk", old), getattr(new, "pk", new)
            if (old or None) != (new or None):
                changed.add(name)
        hours = self.formsets.get("opening_hours")
        if hours is not None and hours.is_valid():
            keys = OpeningHours.VALUE_FIELDS
            before = sorted(
                tuple(getattr(row, k) for k in keys) for row in saved.opening_hours.all()
            )
            after = sorted(
                tuple(form.cleaned_data.get(k) for k in keys)
                for form in hours.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            )
            if before != after:
                changed.add("hours")
        return changed

    def save(self, commit=True):
        self.instance.locked_fields = self.cleaned_data["locked_fields"]
        if "last_checked_at" not in self.changed_data:
            # Someone just went through the entry: that is what "checked" means.
            self.instance.last_checked_at = timezone.now()
        return super().save(commit=commit)
