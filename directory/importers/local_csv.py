"""The Pays' own spreadsheet of local entries: points d'accès internet, childminders,
producers, craftspeople… Same robustness as the registry's CSV import: `;` or `,`, UTF-8
with or without BOM or Windows-1252, bad rows reported with their line numbers."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.annuaire import DAYS
from directory.importers.base import EntryRecord, Importer, ImportFileError, Rejected
from directory.services.hours import parse_range, rows_from_ranges
from parsing.decoding import decode_csv_bytes

COLUMNS = {
    "external_id": ("id", "identifiant", "external_id"),
    "name": ("nom", "name"),
    "category": ("categorie", "catégorie", "category"),
    "description": ("description",),
    "address": ("adresse", "address"),
    "postcode": ("code_postal", "cp"),
    "city": ("ville", "commune_nom"),
    "commune_code": ("code_insee", "insee", "commune"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "phone": ("telephone", "téléphone", "tel"),
    "email": ("courriel", "email", "mail"),
    "website": ("site", "site_internet", "website"),
    "accessibility": ("accessibilite", "accessibilité"),
    "hours": ("horaires", "hours"),
}
REQUIRED = ("external_id", "name", "category")


def parse_hours(text):
    """'lundi 9:00-12:00 14:00-17:00; mercredi 9:00-12:00' → opening rows."""
    rows = []
    for part in (text or "").split(";"):
        words = part.split()
        if not words:
            continue
        day = DAYS.get(words[0].lower())
        if day is None:
            raise ValueError(_("jour inconnu dans les horaires : « %s »") % words[0])
        rows += rows_from_ranges(day, [parse_range(span) for span in words[1:]])
    return rows


def _number(value, label, low, high):
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise ValueError(
            _("%(label)s : « %(value)s » n'est pas un nombre")
            % {
                "label": label,
                "value": value,
            }
        ) from exc
    if not low <= number <= high:
        raise ValueError(_("%(label)s hors limites : %(value)s") % {"label": label, "value": value})
    return number


class LocalCsvImporter(Importer):
    source = "csv"
    label = gettext_lazy("Fichier CSV du Pays")
    suffixes = (".csv",)

    def __init__(self, source_name="csv"):
        # Several spreadsheets may be kept (one per kind of entry): each is its own source,
        # so that rows gone from one archive only that one's entries.
        self.source = source_name

    def parse(self, source):
        for name, data in source.files:
            yield from self.parse_file(name, data)

    def parse_file(self, name, data):
        try:
            text = decode_csv_bytes(data)
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("%s n'est ni en UTF-8 ni en Windows-1252.") % name) from exc
        first_line = text[:4096].splitlines()[0] if text.strip() else ""
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = [h.strip().lower() for h in next(rows)]
        except StopIteration as exc:
            raise ImportFileError(_("%s est vide.") % name) from exc
        except csv.Error as exc:
            raise ImportFileError(_("CSV illisible : %s") % exc) from exc
        columns = {}
        for target, aliases in COLUMNS.items():
            for alias in aliases:
                if alias in header:
                    columns[target] = header.index(alias)
                    break
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise ImportFileError(
                _("Colonnes obligatoires absentes : %(missing)s. En-tête lu : %(header)s")
                % {
                    "missing": ", ".join(COLUMNS[m][0] for m in missing),
                    "header": ", ".join(header),
                }
            )
        known = set(columns.values())
        extra_columns = [(i, h) for i, h in enumerate(header) if i not in known and h]
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Rejected(_("ligne %d") % (rows.line_num + 1), str(exc))
                continue
            if not any(cell.strip() for cell in row):
                continue
            where = _("ligne %d") % rows.line_num
            try:
                yield self.entry(row, columns, extra_columns)
            except (ValueError, IndexError) as exc:
                yield Rejected(where, str(exc))

    def entry(self, row, columns, extra_columns):
        def cell(key):
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        for key in REQUIRED:
            if not cell(key):
                raise ValueError(_("colonne « %s » vide") % COLUMNS[key][0])
        extra = {h: row[i].strip() for i, h in extra_columns if i < len(row) and row[i].strip()}
        return EntryRecord(
            external_id=cell("external_id"),
            name=cell("name"),
            category=cell("category"),
            commune_code=cell("commune_code"),
            hours=parse_hours(cell("hours")),
            fields={
                "description": cell("description"),
                "address": cell("address"),
                "postcode": cell("postcode")[:10],
                "city": cell("city")[:100],
                "latitude": _number(cell("latitude"), "latitude", -90, 90),
                "longitude": _number(cell("longitude"), "longitude", -180, 180),
                "phone": cell("phone")[:40],
                "email": cell("email"),
                "website": cell("website"),
                "accessibility": cell("accessibility"),
                "extra": extra,
            },
        )
