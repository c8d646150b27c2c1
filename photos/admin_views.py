"""The photos section in the admin, the Pays team's alone (photos.apps declares the URLs):
the communes still without a photo, the sync started from there, and the residents' photos
seen and exported for Commons."""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from photos.models import PhotoSubmission
from photos.report import missing_photos


def _home_edit_url(commune):
    if commune.home_page_id is None:
        return None
    return reverse("wagtailadmin_pages:edit", args=[commune.home_page_id])


class MissingPhotosReportView(ReportView):
    page_title = gettext_lazy("Communes sans photo")
    header_icon = "image"
    template_name = "photos/admin/missing_photos.html"
    index_url_name = "photos_missing"
    index_results_url_name = "photos_missing_results"
    paginate_by = 100
    columns = [
        TitleColumn("name", label=gettext_lazy("Commune"), get_url=_home_edit_url, sort_key="name"),
        Column("code", label=gettext_lazy("Code INSEE")),
        Column("category_label", label=gettext_lazy("Situation")),
        Column("outcome", label=gettext_lazy("Dernier résultat")),
        Column("reason_text", label=gettext_lazy("Motif")),
        Column("item", label=gettext_lazy("Wikidata")),
        DateColumn("synced_at", label=gettext_lazy("Synchronisée le")),
    ]
    list_export = [
        "name",
        "code",
        "category_label",
        "outcome",
        "reason_text",
        "item",
        "arms_file",
        "synced_at",
    ]
    export_headings = {
        "name": gettext_lazy("Commune"),
        "code": gettext_lazy("Code INSEE"),
        "category_label": gettext_lazy("Situation"),
        "outcome": gettext_lazy("Dernier résultat"),
        "reason_text": gettext_lazy("Motif"),
        "item": gettext_lazy("Wikidata"),
        "arms_file": gettext_lazy("Blason (P94)"),
        "synced_at": gettext_lazy("Synchronisée le"),
    }
    export_filename = "communes-sans-photo"

    def get_queryset(self):
        return missing_photos()


@require_POST
def start_sync(request):
    """« Lancer la synchronisation des photos »: every commune, or the codes given; an own
    photo is replaced only when `force` is ticked."""
    from photos.tasks import sync_commune_photos_task

    codes = [code for code in request.POST.get("codes", "").replace(",", " ").split() if code]
    force = request.POST.get("force") == "on"
    sync_commune_photos_task.enqueue(codes, force)
    messages.success(
        request,
        _("Synchronisation des photos lancée. Ce rapport se mettra à jour à la fin."),
    )
    return redirect("photos_missing")


def submission_image(request, pk):
    """A resident's photo, to the Pays team only: the files have no public URL."""
    submission = get_object_or_404(PhotoSubmission, pk=pk)
    try:
        handle = submission.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(submission.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def commons_batch(request):
    """The accepted photos as a ZIP ready for Wikimedia Commons (photos.campaign.export)."""
    from photos.campaign.export import commons_batch as build

    accepted = PhotoSubmission.objects.filter(status=PhotoSubmission.Status.ACCEPTED)
    accepted = list(accepted.select_related("collectivite").order_by("pk"))
    if not accepted:
        messages.warning(request, _("Aucune photo acceptée à exporter."))
        return redirect("photos-submissions:index")
    response = HttpResponse(build(accepted), content_type="application/zip")
    name = f"photos-pour-commons-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
