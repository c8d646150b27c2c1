"""The sync: each commune's photo from Wikidata (P18, else P8592, else P94) and Commons.

One commune at a time, one transaction each. A failure (the API refusing, a timeout, a
truncated file, a licence that is not free...) fails that commune only: its photos stay as
they were, its status says why, and the run goes on. docs/photos.md, « Synchronisation ».
"""

import io
import logging
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.utils.file import hash_filelike

from communes.models import Collectivite, SiteImage
from photos.models import CommunePhotoStatus
from photos.services import homepage, metadata, wikimedia
from photos.services.client import Client, FetchError

logger = logging.getLogger(__name__)
Outcome = CommunePhotoStatus.Outcome
# What a re-sync of an unchanged file may still update (an author's name corrected...).
COMPARED = (
    "description",
    "credit",
    "credit_url",
    "licence",
    "licence_url",
    "attribution_required",
    "source_url",
    "commons_description",
    "commons_deleted",
    "origin",
    "demo_stand_in",
)


@dataclass
class Result:
    code: str
    name: str
    outcome: str
    reason: str = ""
    image_id: int | None = None

    def line(self) -> str:
        label = str(Outcome(self.outcome).label)
        return f"{self.code} {self.name} : {label}" + (f" — {self.reason}" if self.reason else "")


@dataclass
class Found:
    item: str = ""
    files: dict | None = None
    chosen: str = ""
    note: str = ""


def communes(codes=None):
    """The provisioned communes the sync covers (all of them, or those of `codes`)."""
    queryset = Collectivite.objects.provisioned().filter(
        kind=Collectivite.Kind.COMMUNE, home_page__isnull=False, collection__isnull=False
    )
    if codes:
        queryset = queryset.filter(code__in=codes)
    return queryset.order_by("name")


def sync(collectivites, *, force=False, dry_run=False, demo=False, client=None, progress=None):
    """Sync each collectivité; returns one Result each. `progress(done, total, result)`."""
    client = client or Client()
    collectivites = list(collectivites)
    results = []
    for done, collectivite in enumerate(collectivites, start=1):
        result = sync_one(collectivite, client, force=force, dry_run=dry_run, demo=demo)
        results.append(result)
        if progress:
            progress(done, len(collectivites), result)
    return results


def sync_one(c: Collectivite, client: Client, *, force=False, dry_run=False, demo=False):
    found = Found()
    try:
        result = _sync(c, client, found, force=force, dry_run=dry_run, demo=demo)
    except FetchError as exc:
        result = Result(c.code, c.name, Outcome.FAILED, str(exc))
    except Exception as exc:  # one commune's bug must not stop the others
        logger.exception("photo sync of %s failed", c.code)
        result = Result(c.code, c.name, Outcome.FAILED, f"erreur inattendue : {exc}"[:300])
    if found.note and result.outcome != Outcome.FAILED:
        result.reason = "; ".join(filter(None, [found.note, result.reason]))
    if not dry_run:
        _record(c, found, result)
    return result


def _sync(c, client, found, *, force, dry_run, demo):
    found.item = c.wikidata_id or wikimedia.find_item(client, c.code)
    if not found.item:
        return Result(c.code, c.name, Outcome.MISSING, "aucun élément Wikidata avec ce code INSEE")
    if not c.wikidata_id and not dry_run:
        Collectivite.objects.filter(pk=c.pk).update(wikidata_id=found.item)
        c.wikidata_id = found.item
    found.files = wikimedia.read_files(client, found.item)
    file_name = _choose(found)
    if not file_name:
        return Result(c.code, c.name, Outcome.MISSING, "pas de photo (P18) sur Wikidata")
    home = c.home_page.specific
    if not homepage.replaceable(home, force):
        return Result(c.code, c.name, Outcome.SKIPPED, "la page d'accueil a la photo de la commune")
    existing = (
        SiteImage.objects.filter(collection_id=c.collection_id, commons_file=file_name)
        .order_by("pk")
        .first()
    )
    info = wikimedia.image_info(client, file_name)
    if info is None:
        return _deleted(c, existing, dry_run)
    source = metadata.provenance(info)
    if existing and existing.commons_sha1 == info.get("sha1") and not existing.commons_deleted:
        if not dry_run:
            with transaction.atomic():
                before = [getattr(existing, f) for f in COMPARED]
                _describe(existing, source, info, file_name, demo, keep_alt=True)
                if before != [getattr(existing, f) for f in COMPARED]:
                    existing.save()
                homepage.set_photo(home, existing)
        return Result(c.code, c.name, Outcome.UNCHANGED, image_id=existing.pk)
    outcome = Outcome.UPDATED if existing else Outcome.CREATED
    if dry_run:
        return Result(c.code, c.name, outcome, "simulation : rien d'écrit")
    url = metadata.rendition_url(info)
    body = client.download(url).body
    size = metadata.check_bytes(info, url, body)
    with transaction.atomic():
        image = _store(c, existing, file_name, (body, url, size), source, info, demo)
        homepage.set_photo(home, image)
    return Result(c.code, c.name, outcome, image_id=image.pk)


def _choose(found: Found) -> str:
    files = found.files or {}
    if files.get(wikimedia.PHOTO):
        found.chosen = files[wikimedia.PHOTO]
    elif files.get(wikimedia.AERIAL):
        found.chosen, found.note = files[wikimedia.AERIAL], "vue aérienne (pas de P18)"
    elif files.get(wikimedia.ARMS):
        found.chosen, found.note = files[wikimedia.ARMS], "blason seulement (pas de P18)"
    return found.chosen


def _deleted(c, existing, dry_run):
    reason = "fichier supprimé de Commons"
    if existing:
        reason += " : la copie locale est gardée"
        if not dry_run and not existing.commons_deleted:
            SiteImage.objects.filter(pk=existing.pk).update(commons_deleted=True)
    return Result(c.code, c.name, Outcome.FAILED, reason, existing.pk if existing else None)


def _describe(image, source, info, file_name, demo, *, keep_alt):
    """Provenance fields from Commons. The alt text is the secretary's once written: kept
    on a re-sync unless it is still the one the sync derived from the old description."""
    derived = metadata.shorten(source.description) or _fallback_alt(file_name)
    previous = metadata.shorten(image.commons_description) or _fallback_alt(file_name)
    if not keep_alt or not image.description or image.description == previous:
        image.description = derived
    image.credit = source.credit
    image.credit_url = source.credit_url
    image.licence = source.licence
    image.licence_url = source.licence_url
    image.attribution_required = source.attribution_required
    image.source_url = source.source_url
    image.commons_description = source.description
    image.commons_file = file_name
    if image.pk is None or image.commons_sha1 != info.get("sha1", ""):
        image.commons_synced_at = timezone.now()
    image.commons_sha1 = info.get("sha1", "")
    image.commons_deleted = False
    image.origin = "commons"
    image.demo_stand_in = demo
    image.is_decorative = False


def _fallback_alt(file_name):
    return metadata.shorten(file_name.rsplit(".", 1)[0].replace("_", " "))


def _store(c, existing, file_name, download, source, info, demo):
    body, url, size = download
    extension = "png" if body[:4] == b"\x89PNG" else url.rsplit(".", 1)[-1].lower()
    extension = extension if extension in ("jpg", "jpeg", "png", "webp", "gif") else "jpg"
    stem = file_name.rsplit(".", 1)[0].replace(" ", "_")[:80]
    upload = ImageFile(io.BytesIO(body), name=f"{stem}.{extension}")
    image = existing or SiteImage(collection_id=c.collection_id)
    old_file = existing.file.name if existing else None
    _describe(image, source, info, file_name, demo, keep_alt=bool(existing))
    image.title = metadata.shorten(f"{c.name} — {file_name.rsplit('.', 1)[0]}", 255)
    image.file = upload
    image.width, image.height = size
    image.focal_point_x = image.focal_point_y = None
    image.focal_point_width = image.focal_point_height = None
    # What Wagtail's upload form records: the size, and the file hash (sha1) that finds
    # duplicates.
    image.file_size = len(body)
    image.file_hash = hash_filelike(io.BytesIO(body))
    image.save()
    if existing:
        image.renditions.all().delete()
        storage = image.file.storage
        if old_file and old_file != image.file.name:
            transaction.on_commit(lambda: storage.delete(old_file))
    return image


def _record(c, found, result):
    files = found.files or {}
    CommunePhotoStatus.objects.update_or_create(
        collectivite=c,
        defaults={
            "wikidata_id": found.item,
            "photo_file": files.get(wikimedia.PHOTO, "")[:255],
            "arms_file": files.get(wikimedia.ARMS, "")[:255],
            "aerial_file": files.get(wikimedia.AERIAL, "")[:255],
            "outcome": result.outcome,
            "reason": result.reason[:400],
            "synced_at": timezone.now(),
        },
    )
