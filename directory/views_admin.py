"""Starting an import from the admin (Pays team): a file sent or an address to read, run by
the task worker; the journal shows what it did."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.importers import IMPORTERS, get_importer
from directory.tasks import run_directory_import

SOURCES = [
    ("annuaire", _("Annuaire de l'administration (fichier JSON ou export de l'API)")),
    ("comarquage", _("Fiches service-public.fr (XML ou zip)")),
    ("france-services", _("France Services (GeoJSON de l'ANCT)")),
    ("csv", _("Fichier CSV du Pays")),
    ("producteurs", _("Producteurs locaux (page web)")),
    ("mairies", _("Mairies du registre (sans fichier)")),
]
UPLOADS = Path(settings.MEDIA_ROOT) / "directory-imports"


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


def start_import(request):
    if not request.user.has_perm("directory.add_importrun"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        origin = form.cleaned_data.get("url") or ""
        upload = form.cleaned_data.get("file")
        if upload:
            # Kept for the worker, which may be another process on another day.
            UPLOADS.mkdir(parents=True, exist_ok=True)
            suffix = Path(upload.name).suffix.lower()[:8]
            target = UPLOADS / f"{uuid.uuid4().hex}{suffix}"
            with open(target, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            origin = str(target)
        run_directory_import.enqueue(
            form.cleaned_data["source"],
            origin,
            dry_run=form.cleaned_data["dry_run"],
            user_id=request.user.pk,
        )
        messages.success(request, _("Import lancé : son résultat paraît dans le journal."))
        return redirect(reverse("directory-imports:index"))
    return TemplateResponse(
        request,
        "directory/admin/import.html",
        {"form": form, "page_title": _("Importer dans l'annuaire")},
    )
