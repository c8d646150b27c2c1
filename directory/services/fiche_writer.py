"""Writing the DILA's fiches. A fiche is one row whatever the audiences that publish it
(particuliers, professionnels, associations): `Fiche.audiences` lists them, the first being
the one whose text is kept. A complete publication of one audience takes that audience off
the fiches it no longer has; a fiche is archived when no audience has it any more."""

from dataclasses import dataclass

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from directory.importers.base import Rejected
from directory.models import Fiche, ServiceEntry
from directory.services.fiche_pivots import unmapped_pivots_note
from directory.services.import_report import ArchivePlan, fingerprint, records
from serving.cache import bump_content_version

ACTIVE, ARCHIVED = ServiceEntry.Status.ACTIVE, ServiceEntry.Status.ARCHIVED


@dataclass
class FicheRecord:
    fiche_id: str
    fields: dict | None
    # The source's own fingerprint of the fiche (of the bytes it came from), when it has one.
    # A record whose digest is already stored needs no fields: unchanged fiches are not parsed.
    digest: str = ""
    audience: str = Fiche.DEFAULT_AUDIENCE


class FicheWriter:
    # New fiches are inserted this many at a time: a whole publication is ~5,000 of them.
    BATCH = 500

    def __init__(self):
        self.seen = set()
        self.now = timezone.now()
        # fiche_id → [pk, digest, status, audiences], kept current as the run writes.
        self.existing = {
            fiche_id: [pk, digest, status, list(audiences or [])]
            for pk, fiche_id, digest, status, audiences in Fiche.objects.values_list(
                "pk", "fiche_id", "import_hash", "status", "audiences"
            )
        }

    def write(self, items, report, progress=None):
        new = []
        for item in records(items, report, progress):
            self.seen.add(item.fiche_id)
            if item.fiche_id not in self.existing and item.fields is not None:
                new.append(item)
                if len(new) >= self.BATCH:
                    self._create(new, report)
                    new = []
                continue
            try:
                with transaction.atomic():
                    outcome = self._write(item)
            except (IntegrityError, DataError, ValueError) as exc:
                report.reject(Rejected(item.fiche_id, str(exc)))
                continue
            report.add(outcome)
        self._create(new, report)
        if note := unmapped_pivots_note(self.seen):
            report.notes.append(note)

    def _row(self, item):
        return Fiche(
            fiche_id=item.fiche_id,
            **item.fields,
            audiences=[item.audience],
            import_hash=item.digest or fingerprint(item.fields),
            last_imported_at=self.now,
            status=ACTIVE,
        )

    def _create(self, items, report):
        """Insert new fiches together; if the batch fails, one by one, so that only the
        bad ones are rejected (the same new fiche twice in one input: the second)."""
        rows = [self._row(item) for item in items]
        try:
            with transaction.atomic():
                Fiche.objects.bulk_create(rows)
            created = rows
        except (IntegrityError, DataError, ValueError):
            created = []
            for row in rows:
                try:
                    with transaction.atomic():
                        row.save(force_insert=True)
                except (IntegrityError, DataError, ValueError) as exc:
                    report.reject(Rejected(row.fiche_id, str(exc)))
                    continue
                created.append(row)
        for row in created:
            self.existing[row.fiche_id] = [row.pk, row.import_hash, ACTIVE, row.audiences]
            report.add("created")
        if created:
            bump_content_version()  # bulk_create sends no signal

    def _write(self, item):
        known = self.existing.get(item.fiche_id)
        digest = item.digest or fingerprint(item.fields)
        if known is None:
            if item.fields is None:  # known by its digest, deleted since the parse
                raise ValueError(f"{item.fiche_id}: no content to write")
            fiche = Fiche.objects.create(
                fiche_id=item.fiche_id,
                **item.fields,
                audiences=[item.audience],
                import_hash=digest,
                last_imported_at=self.now,
                status=ACTIVE,
            )
            self.existing[item.fiche_id] = [fiche.pk, digest, ACTIVE, [item.audience]]
            return "created"
        pk, stored_digest, status, audiences = known
        if status != ACTIVE:
            audiences = []  # an archived fiche has lost every audience it had
        merged = Fiche.sorted_audiences([*audiences, item.audience])
        # The text is the first audience's: another audience only adds itself to the list.
        owns_text = merged[0] == item.audience
        same_text = not owns_text or stored_digest == digest
        if same_text and merged == audiences and status == ACTIVE:
            return "unchanged"
        values = {"audiences": merged, "status": ACTIVE, "last_imported_at": self.now}
        if not same_text:
            if item.fields is None:
                raise ValueError(f"{item.fiche_id}: no content to write")
            values.update(item.fields, import_hash=digest)
        Fiche.objects.filter(pk=pk).update(**values)
        bump_content_version()  # update() sends no signal
        known[1:] = [values.get("import_hash", stored_digest), ACTIVE, merged]
        return "updated"

    def archive_plan(self, audience):
        """Within one audience: the fiches that had it and this publication lacks."""
        having = [
            (fiche_id, pk, audiences)
            for fiche_id, (pk, _digest, status, audiences) in self.existing.items()
            if status == ACTIVE and audience in audiences
        ]
        gone = [row for row in having if row[0] not in self.seen]

        def apply():
            archived = 0
            for _fiche_id, pk, audiences in gone:
                left = [a for a in audiences if a != audience]
                values = {"audiences": left}
                if not left:
                    values["status"] = ARCHIVED
                    archived += 1
                Fiche.objects.filter(pk=pk).update(**values)
            if gone:
                bump_content_version()
            return archived

        return ArchivePlan(total=len(having), gone=len(gone), apply=apply)
