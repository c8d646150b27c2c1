"""Writing the DILA's fiches. A fiche is one row whatever the audiences that publish it
(particuliers, professionnels, associations): `Fiche.audiences` lists them, the first being
the one whose text is kept. A complete publication of one audience takes that audience off
the fiches it no longer has; a fiche is archived when no audience has it any more."""

from dataclasses import dataclass

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from directory.importers.base import Rejected
from directory.models import Fiche, ServiceEntry
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
        for item in records(items, report, progress):
            self.seen.add(item.fiche_id)
            try:
                with transaction.atomic():
                    outcome = self._write(item)
            except (IntegrityError, DataError, ValueError) as exc:
                report.reject(Rejected(item.fiche_id, str(exc)))
                continue
            report.add(outcome)

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
