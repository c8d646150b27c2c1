"""The import run: fetching and parsing a source, writing its records, archiving what it
no longer has."""

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.importers.base import EntryRecord, ImportFileError, Rejected
from directory.models import Category, Fiche, ImportRun, OpeningHours, ServiceEntry
from directory.services.fiche_pivots import unmapped_pivots_note
from serving.cache import bump_content_version, deferred_bumps

COUNTS = ("created", "updated", "unchanged", "archived", "rejected")
FALLBACK_CATEGORY = "autre"


@dataclass
class ImportReport:
    source: str
    label: str = ""
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    rejected: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the run says besides its counts
    file_error: str = ""
    run: ImportRun | None = None

    def add(self, outcome):
        self.counts[outcome] += 1

    def reject(self, rejected: Rejected):
        self.counts["rejected"] += 1
        self.rejected.append(str(rejected))

    @property
    def summary(self):
        line = ", ".join(f"{key} {self.counts[key]}" for key in COUNTS)
        return f"{line} (essai à blanc : rien n'a été enregistré)" if self.dry_run else line


class _DryRun(Exception):
    pass


def run_import(importer, origin, *, dry_run=False, user=None, progress=None) -> ImportReport:
    """Import `origin` with `importer`. A file refused whole changes nothing; otherwise
    each record is written in its own transaction, and a bad one is reported, not fatal."""
    report = ImportReport(importer.source, dry_run=dry_run)
    run = ImportRun.objects.create(source=importer.source, dry_run=dry_run, user=user)
    report.run = run
    try:
        source = importer.fetch(origin)
        report.label = source.label
        items = list(importer.parse(source))
    except ImportFileError as exc:
        report.file_error = str(exc)
        _finish(run, report, ImportRun.Result.REJECTED, str(exc))
        return report
    writer = FicheWriter() if importer.target == "fiches" else EntryWriter(importer)
    try:
        with deferred_bumps(), transaction.atomic():
            writer.write(items, report, progress, complete=source.complete)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    _finish(run, report, ImportRun.Result.DONE, "")
    return report


def _finish(run, report, result, message):
    run.label = report.label[:500]
    run.result = result
    run.counts = report.counts
    run.rejected = report.rejected[:1000]
    run.message = message or "\n".join(report.notes)
    run.finished_at = timezone.now()
    run.save()


def _validation_message(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field} : {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _records(items, report, progress=None):
    """The records of a parsed input, reporting progress and what the parser rejected."""
    for position, item in enumerate(items, 1):
        if progress:
            progress(position, len(items))
        if isinstance(item, Rejected):
            report.reject(item)
        else:
            yield item


def _hours_rows(rows):
    return [{key: row.get(key) for key in OpeningHours.VALUE_FIELDS} for row in rows]


class EntryWriter:
    def __init__(self, importer):
        from communes.models import Collectivite

        self.importer = importer
        self.source = importer.source
        self.categories = {}
        for category in Category.objects.all():
            self.categories[category.slug] = category
            for code in category.service_public_types + category.bpe_codes:
                self.categories.setdefault(code, category)
        self.communes = {
            code: (pk, lat, lon)
            for code, pk, lat, lon in Collectivite.objects.exclude(kind="pays").values_list(
                "code", "pk", "latitude", "longitude"
            )
        }

    def category_for(self, code):
        category = self.categories.get(code) or self.categories.get(FALLBACK_CATEGORY)
        if category is None:
            category, _created = Category.objects.get_or_create(
                slug=FALLBACK_CATEGORY, defaults={"name": "Autres services", "sort_order": 999}
            )
            self.categories[FALLBACK_CATEGORY] = category
        return category

    def write(self, items, report, progress=None, complete=True):
        existing = {
            external_id: (pk, digest, status)
            for pk, external_id, digest, status in ServiceEntry.objects.filter(
                source=self.source
            ).values_list("pk", "external_id", "import_hash", "status")
        }
        seen = set()
        now = timezone.now()
        for item in _records(items, report, progress):
            if item.external_id in seen:
                report.reject(Rejected(item.external_id, _("présent deux fois dans le fichier")))
                continue
            seen.add(item.external_id)
            digest = _fingerprint(
                [item.name, item.category, item.fields, _hours_rows(item.hours), item.commune_code]
            )
            known = existing.get(item.external_id)
            if known and known[1] == digest and known[2] == ServiceEntry.Status.ACTIVE:
                report.add("unchanged")
                continue
            try:
                with transaction.atomic():
                    outcome = self._save(item, digest, known and known[0], now)
            except ValidationError as exc:
                report.reject(Rejected(item.external_id, _validation_message(exc)))
                continue
            except (IntegrityError, DataError, ValueError, TypeError) as exc:
                report.reject(Rejected(item.external_id, str(exc)))
                continue
            report.add(outcome)
        gone = self.importer.in_scope(
            ServiceEntry.objects.filter(source=self.source, status=ServiceEntry.Status.ACTIVE)
        ).exclude(external_id__in=seen)
        archived = gone.update(status=ServiceEntry.Status.ARCHIVED, updated_at=now)
        report.counts["archived"] += archived
        if archived:
            bump_content_version()  # update() sends no signal

    def _save(self, item: EntryRecord, digest, pk, now):
        entry = ServiceEntry.objects.filter(pk=pk).first() if pk else None
        created = entry is None
        if created:
            entry = ServiceEntry(source=self.source, external_id=item.external_id)
        commune_id, centre_lat, centre_lon = self.communes.get(item.commune_code, (None,) * 3)
        values = {
            "name": item.name[:200],
            "category": self.category_for(item.category),
            "commune_id": commune_id,
            **item.fields,
        }
        if values.get("latitude") is None and centre_lat is not None:
            # No position in the source: the commune's centre, said to be approximate.
            values.update(latitude=centre_lat, longitude=centre_lon, position_approximate=True)
        for name, value in values.items():
            field_name = name.removesuffix("_id")
            if not created and entry.is_locked(field_name):
                continue
            setattr(entry, name, value)
        entry.full_clean(exclude=["category", "commune", "locked_fields", "extra"])
        entry.import_hash = digest
        entry.status = ServiceEntry.Status.ACTIVE
        entry.last_imported_at = now
        entry.save()
        if created or not entry.is_locked("hours"):
            entry.opening_hours.all().delete()
            OpeningHours.objects.bulk_create(
                OpeningHours(entry=entry, sort_order=i, **row)
                for i, row in enumerate(_hours_rows(item.hours))
            )
        return "created" if created else "updated"


@dataclass
class FicheRecord:
    fiche_id: str
    fields: dict | None
    # The source's own fingerprint of the fiche (of the bytes it came from), when it has one.
    # A record whose digest is already stored needs no fields: unchanged fiches are not parsed.
    digest: str = ""


class FicheWriter:
    # New fiches are inserted this many at a time: a whole publication is ~5,000 of them.
    BATCH = 500

    def write(self, items, report, progress=None, complete=False):
        existing = {
            fiche_id: (digest, status)
            for fiche_id, digest, status in Fiche.objects.values_list(
                "fiche_id", "import_hash", "status"
            )
        }
        seen = set()
        now = timezone.now()
        new = []
        for item in _records(items, report, progress):
            seen.add(item.fiche_id)
            digest = item.digest or _fingerprint(item.fields)
            known = existing.get(item.fiche_id)
            if known is None and item.fields is not None:
                new.append(self._row(item, digest, now))
                if len(new) >= self.BATCH:
                    self._create(new, report)
                    new = []
                continue
            if known and known[0] == digest:
                if known[1] == ServiceEntry.Status.ACTIVE:
                    report.add("unchanged")
                else:  # back in the publication
                    Fiche.objects.filter(fiche_id=item.fiche_id).update(
                        status=ServiceEntry.Status.ACTIVE, last_imported_at=now
                    )
                    report.add("updated")
                continue
            try:
                with transaction.atomic():
                    _fiche, created = Fiche.objects.update_or_create(
                        fiche_id=item.fiche_id,
                        defaults={
                            **item.fields,
                            "import_hash": digest,
                            "last_imported_at": now,
                            "status": ServiceEntry.Status.ACTIVE,
                        },
                    )
            except (IntegrityError, DataError, ValueError) as exc:
                report.reject(Rejected(item.fiche_id, str(exc)))
                continue
            report.add("created" if created else "updated")
        self._create(new, report)
        # The whole publication (a zip) archives the fiches it no longer has; a few files
        # (a folder of samples, one fiche) archive nothing they do not name.
        if complete:
            gone = Fiche.objects.filter(status=ServiceEntry.Status.ACTIVE).exclude(
                fiche_id__in=seen
            )
            archived = gone.update(status=ServiceEntry.Status.ARCHIVED)
            report.counts["archived"] += archived
            if archived:
                bump_content_version()
        if note := unmapped_pivots_note(seen):
            report.notes.append(note)

    def _row(self, item, digest, now):
        return Fiche(
            fiche_id=item.fiche_id,
            **item.fields,
            import_hash=digest,
            last_imported_at=now,
            status=ServiceEntry.Status.ACTIVE,
        )

    def _create(self, rows, report):
        """Insert new fiches together; if the batch fails, one by one, so that only the
        bad ones are rejected."""
        if not rows:
            return
        try:
            with transaction.atomic():
                Fiche.objects.bulk_create(rows)
            report.counts["created"] += len(rows)
            bump_content_version()  # bulk_create sends no signal
            return
        except (IntegrityError, DataError, ValueError):
            pass
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except (IntegrityError, DataError, ValueError) as exc:
                report.reject(Rejected(row.fiche_id, str(exc)))
                continue
            report.add("created")
