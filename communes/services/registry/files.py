"""Which registry file this is, from its header, and loading it whole or not at all."""

import csv
import io
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.services.registry.insee_cog import COG_COLUMNS, is_cog, load_cog
from communes.services.registry.insee_data import (
    EPCI_COLUMNS,
    POPULATION_COLUMNS,
    is_epci_composition,
    is_populations,
    load_epci_composition,
    load_populations,
)
from communes.services.registry.pays_csv import load_pays_rows, pays_columns
from communes.services.registry.report import CsvFormatError, RegistryReport, RowError
from communes.services.registry.scope import Scope
from communes.services.registry.shipped import load_registry_file
from parsing.decoding import csv_rows, decode_csv_bytes


def _rows(reader, report):
    """(line, row) for each non-blank row; an unreadable line is reported and skipped."""

    def unreadable(line, error):
        report.errors.append(RowError(line, _("CSV illisible : %(error)s") % {"error": error}))

    return csv_rows(reader, unreadable)


# A column only one INSEE format has: with it, the header is that format's, or refused.
MARKERS = (
    ("TYPECOM", COG_COLUMNS, gettext_lazy("COG des communes de l'INSEE")),
    ("CODCOM", POPULATION_COLUMNS, gettext_lazy("populations légales de l'INSEE")),
    ("code_commune", EPCI_COLUMNS, gettext_lazy("composition des EPCI")),
)


def _insee_near_miss(header):
    """What an INSEE-looking header lacks, so that it is not read as the Pays' format."""
    names = {h.strip().lower() for h in header}
    for marker, columns, label in MARKERS:
        if marker.lower() in names:
            missing = [c for c in columns if c.lower() not in names]
            if missing:
                return _("%(format)s sans %(missing)s") % {
                    "format": label,
                    "missing": ", ".join(missing),
                }
    return ""


def _unknown_header(header, near_miss=""):
    return CsvFormatError(
        _(
            "En-tête non reconnu : %(header)s.%(near_miss)s Colonnes obligatoires absentes. "
            "Formats acceptés : "
            "COG des communes de l'INSEE (%(cog)s) ; populations légales de l'INSEE "
            "(%(pop)s) ; composition des EPCI (%(epci)s) ; registre du Pays (code ou "
            "code_insee ou siren, nom, et en option type, codes_postaux, population, epci, "
            "latitude, longitude, wikidata)."
        )
        % {
            "header": ", ".join(header) or "—",
            "near_miss": f" {near_miss} ?" if near_miss else "",
            "cog": ", ".join(COG_COLUMNS),
            "pop": ";".join(POPULATION_COLUMNS),
            "epci": ", ".join(EPCI_COLUMNS),
        }
    )


def import_registry_csv(raw: bytes, departements=()) -> RegistryReport:
    """A registry CSV of any supported format, recognised by its header.

    `departements` narrows the INSEE files to those departments (and lets the COG file add
    their communes); without it, INSEE files only update communes already in the registry.
    """
    try:
        text = decode_csv_bytes(raw)
    except UnicodeDecodeError as exc:
        raise CsvFormatError(_("Le fichier n'est ni en UTF-8 ni en Windows-1252.")) from exc
    first_line = text[:4096].splitlines()[0] if text else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise CsvFormatError(_("Le fichier est vide.")) from exc
    except csv.Error as exc:
        raise CsvFormatError(_("CSV illisible : %(error)s") % {"error": exc}) from exc
    report = RegistryReport()
    rows = _rows(reader, report)
    for matches, load, label in (
        (is_cog, load_cog, _("COG des communes (INSEE)")),
        (is_populations, load_populations, _("populations légales (INSEE)")),
        (is_epci_composition, load_epci_composition, _("composition des EPCI")),
    ):
        if matches(header):
            report.file_format = label
            return load(rows, header, Scope.build(departements), report)
    near_miss = _insee_near_miss(header)
    columns = pays_columns(header)
    if columns is None or near_miss:
        raise _unknown_header(header, near_miss)
    if departements:
        raise CsvFormatError(
            _(
                "--departement ne vaut que pour les fichiers de l'INSEE ; ce fichier est un "
                "registre du Pays."
            )
        )
    report.file_format = _("registre du Pays (CSV)")
    load_pays_rows(rows, columns, report)
    return report


def load_registry(path: Path, departements=(), dry_run=False) -> RegistryReport:
    """One file, in one transaction: a dry run does all of it, reports, and rolls back
    (emails to editors, sent on commit, are then never sent)."""
    path = Path(path)
    with transaction.atomic():
        if path.suffix.lower() == ".json":
            if departements:
                raise CsvFormatError(
                    _("--departement ne vaut que pour les fichiers CSV de l'INSEE.")
                )
            report = load_registry_file(path)
        else:
            report = import_registry_csv(path.read_bytes(), departements)
        if dry_run:
            transaction.set_rollback(True)
    return report
