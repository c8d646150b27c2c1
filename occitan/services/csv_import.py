"""Importing lexicon entries and expressions from CSV, by the registry's rules.

The header is recognised or the file is refused whole, with what is wrong in French. Then
each row is its own transaction: a bad row (a value missing, unknown, too long, or a row
given twice) is rejected with its line number and the reason, and the others are imported.
A dry run does all of it and rolls back. Nothing an import writes is public:

- a new row is created « à relire » (not live), with a revision the review workflow takes;
- a row already published keeps its published version: the change is saved as a new
  revision, a draft to review (`has_unpublished_changes`), and nothing is unpublished;
- a row not yet published is updated, with a new revision.

The key of a row is its slug: given in our export's `slug` column, otherwise derived from
the French with slugify, and « -2 », « -3 »… when that slug is another word's. The same file
imported twice finds its rows again: the second run leaves everything unchanged.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from occitan.services.csv_columns import (
    COLUMNS,
    ENTRIES,
    EXPRESSIONS,
    KIND_LABELS,
    MODELS,
    CsvFormatError,
    Themes,
    french_of,
    read_header,
    row_values,
    slug_base,
)
from occitan.services.csv_report import CREATED, UNCHANGED, UPDATED, ImportReport
from occitan.services.csv_report import validation_message as _message
from parsing.decoding import csv_rows, decode_csv_bytes
from serving.cache import deferred_bumps

__all__ = ["ENTRIES", "EXPRESSIONS", "CsvFormatError", "ImportReport", "import_csv"]


def _rows(reader, report):
    """(line, row) for each non-blank row; an unreadable line is reported and skipped."""

    def unreadable(line, error):
        report.reject(line, _("CSV illisible : %(error)s") % {"error": error})

    return csv_rows(reader, unreadable)


def _reader(raw):
    try:
        decoded = decode_csv_bytes(raw)
    except UnicodeDecodeError as exc:
        raise CsvFormatError(_("Le fichier n'est ni en UTF-8 ni en Windows-1252.")) from exc
    if "\x00" in decoded:
        raise CsvFormatError(_("Ce n'est pas un fichier CSV (octets nuls) : un tableur ?"))
    first_line = decoded[:4096].splitlines()[0] if decoded.strip() else ""
    if not first_line.strip():
        raise CsvFormatError(_("Le fichier est vide."))
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)


class LexiconWriter:
    """Creates or updates the rows of one kind by slug, one transaction per row.

    Existing rows and their latest revisions are read once. A row is compared with what
    its editors see (its latest draft when it has one), so that a second run saves nothing.
    """

    def __init__(self, kind, report, user=None):
        self.kind = kind
        self.model = MODELS[kind]
        self.report = report
        self.user = user
        self.by_slug = {o.slug: o for o in self.model.objects.select_related("latest_revision")}
        self.seen = {}  # slug → the line that named it
        self.labels = {field: column for column, field in COLUMNS[kind].items() if field}

    @staticmethod
    def current(obj):
        """What editors see of `obj`: its latest draft when it has unpublished changes."""
        if obj.has_unpublished_changes and obj.latest_revision is not None:
            return obj.with_content_json(obj.latest_revision.content)
        return obj

    @staticmethod
    def seen_value(obj, name):
        """A field as editors see it (the draft's, if any), read without a query; a
        foreign key as its id."""
        if obj.has_unpublished_changes and obj.latest_revision is not None:
            return obj.latest_revision.content.get(name)
        return obj.theme_id if name == "theme" else getattr(obj, name)

    def resolve(self, values):
        """(slug, existing row or None) for the row's values."""
        slug = values.get("slug")
        if slug:
            return slug, self.by_slug.get(slug)
        french = french_of(self.kind, values)
        field = "french" if self.kind == ENTRIES else "literal"
        base = slug_base(french)
        number = 1
        while True:
            candidate = base if number == 1 else f"{base[:112]}-{number}"
            obj = self.by_slug.get(candidate)
            if obj is None:
                return candidate, None
            if french in (getattr(obj, field), self.seen_value(obj, field)):
                return candidate, obj
            number += 1

    def changed(self, obj, values):
        """The fields whose value in the file is not what editors see."""
        return [
            name
            for name, value in values.items()
            if self.seen_value(obj, name) != (value.pk if name == "theme" and value else value)
        ]

    def _french(self, obj):
        return french_of(self.kind, vars(obj))

    def write(self, line, values):
        slug, obj = self.resolve(values)
        if slug in self.seen:
            self.report.reject(
                line,
                _("« %(french)s » est déjà à la ligne %(line)s du fichier")
                % {"french": french_of(self.kind, values), "line": self.seen[slug]},
            )
            return
        self.seen[slug] = line
        values["slug"] = slug
        changed = self.changed(obj, values) if obj else None
        if changed == []:
            self.report.counts[UNCHANGED] += 1
            return
        try:
            with transaction.atomic():
                outcome = self._save(obj, values, changed) if obj else self._create(values)
        except ValidationError as exc:
            self._forget(slug, obj)
            self.report.reject(line, _message(exc, self.labels))
            return
        except (IntegrityError, DataError) as exc:
            self._forget(slug, obj)
            self.report.reject(
                line, _("refusé par la base de données : %(error)s") % {"error": exc}
            )
            return
        self.report.counts[outcome] += 1

    def _forget(self, slug, obj):
        """A row rolled back: what is kept in memory is read again."""
        if obj is None:
            self.by_slug.pop(slug, None)
        else:
            self.by_slug[slug] = self.model.objects.select_related("latest_revision").get(pk=obj.pk)

    def _create(self, values):
        obj = self.model(live=False, **values)
        obj.full_clean()
        obj.save()
        self.by_slug[obj.slug] = obj
        obj.save_revision(user=self.user, log_action="wagtail.create", clean=False)
        self.report.changes.append(
            _("« %(french)s » : ajouté, à relire") % {"french": self._french(obj)}
        )
        return CREATED

    def _save(self, obj, values, changed):
        target = self.current(obj)
        if obj.locked:
            raise ValidationError(
                _("verrouillé dans l'administration : déverrouillez-le pour l'importer")
            )
        if target is obj:  # changed on a copy: the one in memory stays what is stored
            target = obj.with_content_json(obj.serializable_data())
        for name, value in values.items():
            setattr(target, name, value)
        target.full_clean()
        fields = ", ".join(self.labels.get(name, name) for name in changed)
        if obj.live:
            # Published: the published version stays as it is; the change waits for review.
            target.save_revision(user=self.user, log_action=True, clean=False)
            obj.latest_revision = target.latest_revision
            obj.has_unpublished_changes = True
            note = _(
                "« %(french)s » : %(fields)s modifiés, brouillon à relire (la version "
                "publiée reste en ligne)"
            )
        else:
            target.save()
            target.save_revision(user=self.user, log_action=True, clean=False)
            self.by_slug[target.slug] = target
            note = _("« %(french)s » : %(fields)s modifiés, à relire")
        self.report.changes.append(note % {"french": self._french(target), "fields": fields})
        return UPDATED


def import_csv(raw: bytes, kind, *, user=None, dry_run=False) -> ImportReport:
    """Import `raw` (the bytes of a CSV file) as entries or expressions; see the module."""
    if kind not in MODELS:
        raise CsvFormatError(
            _("Type inconnu « %(kind)s » : entries (mots) ou expressions.") % {"kind": kind}
        )
    reader = _reader(raw)
    try:
        header = read_header(kind, next(reader))
    except csv.Error as exc:
        raise CsvFormatError(_("CSV illisible : %(error)s") % {"error": exc}) from exc
    report = ImportReport(kind, dry_run=dry_run, file_format=str(header.label))
    with deferred_bumps(), transaction.atomic():
        themes = Themes()
        writer = LexiconWriter(kind, report, user)
        for line, row in _rows(reader, report):
            try:
                values = row_values(header, row, themes)
            except ValidationError as exc:
                report.reject(line, _message(exc, {}))
                continue
            writer.write(line, values)
        if themes.created:
            report.notes.append(_("Thèmes créés : %s") % ", ".join(themes.created))
        if dry_run:
            transaction.set_rollback(True)
    if not (sum(report.counts.values()) or report.errors):
        report.notes.append(
            _("Aucune ligne de %(kind)s dans le fichier.") % {"kind": KIND_LABELS[kind]}
        )
    report.errors.sort(key=lambda error: error.line)
    return report
