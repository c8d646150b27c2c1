"""Starting an import from the admin (Pays team): a file sent or an address to read, run by
the task worker; the journal shows what it did. The settings menu shows the import and the
journal to whoever may start an import."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from directory.admin_forms import ImportForm
from directory.tasks import run_directory_import

UPLOADS = Path(settings.MEDIA_ROOT) / "directory-imports"


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("directory.add_importrun")


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
            confirm=form.cleaned_data["confirm"],
        )
        messages.success(request, _("Import lancé : son résultat paraît dans le journal."))
        return redirect(reverse("directory-imports:index"))
    return TemplateResponse(
        request,
        "directory/admin/import.html",
        {"form": form, "page_title": _("Importer dans l'annuaire")},
    )
