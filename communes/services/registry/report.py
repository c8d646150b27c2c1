"""What a registry load did, or would do: counts, rejected lines, and each change by name."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"

# How many creations a report lists one by one; a first load creates the whole registry.
LISTED_CREATIONS = 30


class CsvFormatError(Exception):
    """The file as a whole cannot be read; nothing was written."""


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self):
        return f"ligne {self.line} : {self.reason}"


@dataclass
class Change:
    """One change to one collectivité, as a person reads it in the report."""

    code: str
    name: str
    what: str  # "created", a field name, "merged"
    old: object = None
    new: object = None

    def __str__(self):
        if self.what == CREATED:
            return _("%(code)s %(name)s : ajoutée") % {"code": self.code, "name": self.name}
        if self.what == "name":
            return _("%(code)s %(old)s → %(new)s : nom") % {
                "code": self.code,
                "old": self.old,
                "new": self.new,
            }
        if self.what == "merged":
            return _("%(code)s %(name)s : fusionnée dans %(parent)s") % {
                "code": self.code,
                "name": self.name,
                "parent": self.new,
            }
        return _("%(code)s %(name)s : %(what)s %(old)s → %(new)s") % {
            "code": self.code,
            "name": self.name,
            "what": FIELD_LABELS.get(self.what, self.what),
            "old": _shown(self.old),
            "new": _shown(self.new),
        }


FIELD_LABELS = {
    "population": gettext_lazy("population"),
    "epci": gettext_lazy("EPCI"),
    "delegated_communes": gettext_lazy("communes déléguées/associées"),
    "postcodes": gettext_lazy("codes postaux"),
    "kind": gettext_lazy("type"),
    "outside_epci_name": gettext_lazy("EPCI hors Pays"),
    "merged_into": gettext_lazy("fusionnée dans"),
}


def _shown(value):
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(
            f"{v['code']} {v['name']} ({v['type']})" if isinstance(v, dict) else str(v)
            for v in value
        )
    return str(value)


@dataclass
class RegistryReport:
    counts: dict = field(default_factory=lambda: dict.fromkeys((CREATED, UPDATED, UNCHANGED), 0))
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    # What the file held that was left aside on purpose, and why (reason -> count).
    skipped: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    file_format: str = ""
    notified: list[str] = field(default_factory=list)

    @property
    def summary(self):
        c = self.counts
        return (
            f"created {c[CREATED]}, updated {c[UPDATED]}, unchanged {c[UNCHANGED]}, "
            f"rejected {len(self.errors)}"
        )

    def skip(self, reason, count=1):
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def lines(self, all_creations=False):
        """The report as printed: the format, the notes, then each change, by name."""
        out = []
        if self.file_format:
            out.append(_("Format : %(format)s") % {"format": self.file_format})
        out.extend(self.notes)
        out.extend(
            _("ignorées : %(count)s (%(reason)s)") % {"count": n, "reason": reason}
            for reason, n in self.skipped.items()
        )
        created = [c for c in self.changes if c.what == CREATED]
        others = [c for c in self.changes if c.what != CREATED]
        shown = created if all_creations else created[:LISTED_CREATIONS]
        out.extend(f"  {c}" for c in shown)
        if len(created) > len(shown):
            out.append(_("  … et %(count)s autres ajoutées") % {"count": len(created) - len(shown)})
        out.extend(f"  {c}" for c in others)
        out.extend(self.notified)
        return out


def record(report, line, func):
    """One unit of work: a failure leaves the others done, and is reported."""
    try:
        report.counts[func()] += 1
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            report.errors.append(RowError(line, " ; ".join(exc.messages)))
            return
        messages = []
        for fieldname, errors in exc.message_dict.items():
            label = fieldname if fieldname != "__all__" else ""
            messages.extend(f"{label} : {e}" if label else e for e in errors)
        report.errors.append(RowError(line, " ; ".join(messages)))
