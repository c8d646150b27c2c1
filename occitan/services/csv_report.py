"""What an import of the lexicon did, or would do: counts, each change, each rejected line."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from communes.services.registry.report import RowError

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
LISTED_CHANGES = 50  # a first import creates every row: the report lists that many by name


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    file_format: str = ""
    counts: dict = field(default_factory=lambda: dict.fromkeys((CREATED, UPDATED, UNCHANGED), 0))
    errors: list[RowError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reject(self, line, reason):
        self.errors.append(RowError(line, reason))

    @property
    def rejected(self):
        return len(self.errors)

    @property
    def summary(self):
        c = self.counts
        line = _(
            "créés %(created)s, mis à jour %(updated)s, inchangés %(unchanged)s, "
            "rejetés %(rejected)s"
        ) % {**c, "rejected": self.rejected}
        if self.dry_run:
            line += " " + _("(essai à blanc : rien n'a été enregistré)")
        return line

    def lines(self):
        """The report as printed: format, notes, changes by name, then rejected lines."""
        out = []
        if self.file_format:
            out.append(_("Format : %(format)s") % {"format": self.file_format})
        out.extend(self.notes)
        out.extend(f"  {change}" for change in self.changes[:LISTED_CHANGES])
        if len(self.changes) > LISTED_CHANGES:
            out.append(_("  … et %(count)s autres") % {"count": len(self.changes) - LISTED_CHANGES})
        out.extend(str(error) for error in self.errors)
        return out


def validation_message(exc, labels):
    """« mot français : valeur manquante ; nature : … », with the columns' names."""
    if not hasattr(exc, "error_dict"):
        return " ; ".join(exc.messages)
    messages = []
    for name, errors in exc.message_dict.items():
        label = labels.get(name, name) if name != "__all__" else ""
        messages.extend(f"{label} : {e}" if label else e for e in errors)
    return " ; ".join(messages)
