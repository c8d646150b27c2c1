"""What an import run says: its counts, the lines behind them, and the scope it archived in."""

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from directory.importers.base import Rejected, Skipped

COUNTS = ("created", "updated", "unchanged", "archived", "rejected", "skipped", "warnings")


def counts_in_words(counts):
    """« 4 créés, 0 mis à jour, 12 inchangés, … » for the journal and the commands."""
    labels = {
        "created": _("créés"),
        "updated": _("mis à jour"),
        "unchanged": _("inchangés"),
        "archived": _("archivés"),
        "rejected": _("refusés"),
        "skipped": _("laissés de côté"),
        "warnings": _("avertissements"),
    }
    return ", ".join(f"{(counts or {}).get(key, 0)} {labels[key]}" for key in COUNTS)


@dataclass
class ImportReport:
    """`counts` has every key of COUNTS; `rejected`, `skipped` and `warnings` hold one French
    line each (« where : why »). `scope` is what the input covered (« département 24 »,
    « aucun (fichier partiel) »); `archive_note` says why nothing was archived, or what waits
    for a confirmation (then `needs_confirm`)."""

    source: str
    label: str = ""
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    rejected: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what the run says besides its counts
    scope: str = ""
    archive_note: str = ""
    needs_confirm: bool = False
    file_error: str = ""
    run: object = None  # the ImportRun journal row

    def add(self, outcome):
        self.counts[outcome] += 1

    def reject(self, rejected: Rejected):
        self.counts["rejected"] += 1
        self.rejected.append(str(rejected))

    def skip(self, skipped: Skipped):
        self.counts["skipped"] += 1
        self.skipped.append(str(skipped))

    def warn(self, where, message):
        self.counts["warnings"] += 1
        self.warnings.append(f"{where} : {message}")

    @property
    def scope_line(self):
        """« périmètre : département 24 », and what became of the archiving."""
        if not self.scope:
            return ""
        line = _("périmètre : %s") % self.scope
        return f"{line} : {self.archive_note}" if self.archive_note else line

    @property
    def summary(self):
        line = counts_in_words(self.counts)
        return f"{line} (essai à blanc : rien n'a été enregistré)" if self.dry_run else line


def validation_message(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field} : {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def fingerprint(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def records(items, report, progress=None):
    """The records of a parsed input, reporting progress and what the parser set aside."""
    for position, item in enumerate(items, 1):
        if progress:
            progress(position, len(items))
        if isinstance(item, Skipped):
            report.skip(item)
        elif isinstance(item, Rejected):
            report.reject(item)
        else:
            yield item


@dataclass
class ArchivePlan:
    """What archiving would do within a scope: `gone` of the `total` rows it holds, done by
    `apply()` (which returns how many were archived)."""

    total: int
    gone: int
    apply: object
