"""Loading the registry of collectivités: from the shipped JSON, or from a Pays' CSV export."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communes.exports import restore_formula
from communes.models import Collectivite
from parsing.decoding import decode_csv_bytes

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
KIND_ALIASES = {
    "commune": Collectivite.Kind.COMMUNE,
    "epci": Collectivite.Kind.EPCI,
    "cc": Collectivite.Kind.EPCI,
    "ca": Collectivite.Kind.EPCI,
    "communaute": Collectivite.Kind.EPCI,
    "communauté": Collectivite.Kind.EPCI,
    "communaute de communes": Collectivite.Kind.EPCI,
    "communauté de communes": Collectivite.Kind.EPCI,
    "syndicat": Collectivite.Kind.SYNDICAT,
    "pays": Collectivite.Kind.PAYS,
}
PAYS_CODE = "PAYS"


@dataclass
class RowError:
    line: int
    reason: str

    def __str__(self):
        return f"ligne {self.line} : {self.reason}"


@dataclass
class RegistryReport:
    counts: dict = field(default_factory=lambda: dict.fromkeys((CREATED, UPDATED, UNCHANGED), 0))
    errors: list[RowError] = field(default_factory=list)

    @property
    def summary(self):
        c = self.counts
        return (
            f"created {c[CREATED]}, updated {c[UPDATED]}, unchanged {c[UNCHANGED]}, "
            f"rejected {len(self.errors)}"
        )


class RegistryWriter:
    """Creates or updates collectivités by code, one savepoint per row.

    Existing rows and taken slugs are read once, so a whole file costs a few queries per
    row; uniqueness is then guaranteed by the database constraints, whose violation is
    reported for that row like any other error.
    """

    def __init__(self):
        self.by_code = {c.code: c for c in Collectivite.objects.all()}
        self.slugs = {c.slug for c in self.by_code.values()}

    def unique_slug(self, name, code):
        base = slugify(name)[:63].strip("-") or code.lower()
        if base in self.slugs:
            base = f"{base[: 63 - len(code) - 1]}-{code.lower()}"
        return base

    def upsert(self, values: dict) -> str:
        """Returns created/updated/unchanged; raises ValidationError with a readable message."""
        code = values["code"]
        instance = self.by_code.get(code)
        created = instance is None
        if created:
            instance = Collectivite(code=code)
        if not values.get("slug"):
            values["slug"] = instance.slug or self.unique_slug(values["name"], code)
        changed = False
        for name, value in values.items():
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                changed = True
        if not changed:
            return UNCHANGED
        instance.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError as exc:
            if created:
                instance.pk = None
            raise ValidationError(
                _("le code « %(code)s » ou l'identifiant « %(slug)s » est déjà utilisé")
                % {"code": code, "slug": instance.slug}
            ) from exc
        self.by_code[code] = instance
        self.slugs.add(instance.slug)
        return CREATED if created else UPDATED


def _record(report, line, func):
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


def load_registry_file(path: Path) -> RegistryReport:
    """The Pays' registry as shipped (communes/data/*.json)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    report = RegistryReport()
    upsert = RegistryWriter().upsert
    _record(
        report,
        0,
        lambda: upsert(
            {
                "code": PAYS_CODE,
                "kind": Collectivite.Kind.PAYS,
                "name": data["pays"]["nom"],
                "slug": slugify(
                    data["pays"]["nom"].removeprefix("Pays du ").removeprefix("Pays de ")
                ),
            }
        ),
    )
    for i, epci in enumerate(data["epci"], start=1):
        _record(
            report,
            i,
            lambda epci=epci: upsert(
                {
                    "code": epci["siren"],
                    "kind": Collectivite.Kind.EPCI,
                    "name": epci["nom"],
                    "population": epci.get("population"),
                }
            ),
        )
    epcis = dict(Collectivite.objects.filter(kind=Collectivite.Kind.EPCI).values_list("code", "pk"))
    for i, commune in enumerate(data["communes"], start=1):
        outside = commune.get("epci_hors_pays", False)
        _record(
            report,
            i,
            lambda commune=commune, outside=outside: upsert(
                {
                    "code": commune["code_insee"],
                    "kind": Collectivite.Kind.COMMUNE,
                    "name": commune["nom"],
                    "postcodes": list(commune.get("codes_postaux", [])),
                    "population": commune.get("population"),
                    "epci_id": None if outside else epcis.get(commune.get("epci_siren")),
                    "outside_epci_name": commune.get("epci_nom", "") if outside else "",
                    "latitude": commune.get("lat"),
                    "longitude": commune.get("lon"),
                }
            ),
        )
    return report


# -- CSV ---------------------------------------------------------------------------------------

CSV_COLUMNS = {
    "code": ("code", "code_insee", "insee", "code insee", "siren", "code officiel"),
    "name": ("nom", "name", "libelle", "libellé", "collectivite", "collectivité"),
    "kind": ("type", "kind", "nature"),
    "postcodes": ("codes_postaux", "code_postal", "codes postaux", "code postal", "cp"),
    "population": ("population", "pop", "habitants"),
    "epci": ("epci", "siren_epci", "epci_siren", "code_epci"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "wikidata_id": ("wikidata", "wikidata_id", "qid"),
}


class CsvFormatError(Exception):
    pass


def _reader(text):
    sample = text[:4096]
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _number(value, cast, label):
    value = value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not value:
        return None
    try:
        return cast(value.replace(",", "."))
    except ValueError as exc:
        raise ValidationError(
            {label: _("« %(value)s » n'est pas un nombre") % {"value": value}}
        ) from exc


def import_registry_csv(raw: bytes) -> RegistryReport:
    try:
        text = decode_csv_bytes(raw)
    except UnicodeDecodeError as exc:
        raise CsvFormatError(_("Le fichier n'est ni en UTF-8 ni en Windows-1252.")) from exc
    rows = _reader(text)
    try:
        header = next(rows)
    except StopIteration as exc:
        raise CsvFormatError(_("Le fichier est vide.")) from exc
    except csv.Error as exc:
        raise CsvFormatError(_("CSV illisible : %(error)s") % {"error": exc}) from exc
    normalized = [h.strip().lower() for h in header]
    columns = {}
    for target, aliases in CSV_COLUMNS.items():
        for alias in aliases:
            if alias in normalized:
                columns[target] = normalized.index(alias)
                break
    missing = [c for c in ("code", "name") if c not in columns]
    if missing:
        labels = {"code": _("code (ou code_insee, siren)"), "name": "nom"}
        raise CsvFormatError(
            _("Colonnes obligatoires absentes : %(missing)s. En-tête lu : %(header)s")
            % {"missing": ", ".join(labels[m] for m in missing), "header": ", ".join(header)}
        )
    report = RegistryReport()
    writer = RegistryWriter()
    epcis = {}
    for epci in Collectivite.objects.filter(kind=Collectivite.Kind.EPCI):
        epcis[epci.code] = epcis[epci.name.lower()] = epci.pk
    line = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            line += 1
            report.errors.append(RowError(line, _("CSV illisible : %(error)s") % {"error": exc}))
            continue
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        _record(report, line, lambda row=row: writer.upsert(_csv_values(row, columns, epcis)))
    return report


def _csv_values(row, columns, epcis):
    def cell(name):
        index = columns.get(name)
        if index is None or index >= len(row):
            return ""
        # Our own export prefixed cells that looked like formulas: they come back as written.
        return restore_formula(row[index]).strip()

    code = cell("code").upper()
    name = cell("name")
    if not code:
        raise ValidationError({"code": _("code manquant")})
    if not name:
        raise ValidationError({"nom": _("nom manquant")})
    if code.isdigit() and len(code) < 5:
        # A spreadsheet turned "01001" into 1001.
        raise ValidationError(
            {
                "code": _(
                    "« %(code)s » : un code INSEE a 5 caractères (le tableur a-t-il ôté le 0 ?)"
                )
                % {"code": code}
            }
        )
    kind_raw = cell("kind").lower()
    if kind_raw:
        if kind_raw not in KIND_ALIASES:
            raise ValidationError({"type": _("type inconnu « %(kind)s »") % {"kind": cell("kind")}})
        kind = KIND_ALIASES[kind_raw]
    else:
        kind = Collectivite.Kind.EPCI if len(code) == 9 else Collectivite.Kind.COMMUNE
    values = {"code": code, "name": name, "kind": kind}
    if "postcodes" in columns:
        values["postcodes"] = [
            p.strip() for p in cell("postcodes").replace(",", " ").replace("|", " ").split() if p
        ]
        for postcode in values["postcodes"]:
            if not (len(postcode) == 5 and postcode.isdigit()):
                raise ValidationError(
                    {
                        "codes_postaux": _("code postal invalide « %(postcode)s »")
                        % {"postcode": postcode}
                    }
                )
    if "population" in columns:
        values["population"] = _number(cell("population"), int, "population")
    if "latitude" in columns:
        values["latitude"] = _number(cell("latitude"), float, "latitude")
    if "longitude" in columns:
        values["longitude"] = _number(cell("longitude"), float, "longitude")
    for coord, bound in (("latitude", 90), ("longitude", 180)):
        if values.get(coord) is not None and abs(values[coord]) > bound:
            raise ValidationError({coord: _("%(value)s hors limites") % {"value": values[coord]}})
    if "wikidata_id" in columns:
        values["wikidata_id"] = cell("wikidata_id")
    if "epci" in columns and cell("epci"):
        epci = (
            Collectivite.objects.filter(kind=Collectivite.Kind.EPCI, code=cell("epci")).first()
            or Collectivite.objects.filter(
                kind=Collectivite.Kind.EPCI, name__iexact=cell("epci")
            ).first()
        )
        if epci is None:
            raise ValidationError({"epci": _("EPCI inconnu « %(epci)s »") % {"epci": cell("epci")}})
        values["epci_id"] = epci.pk
    return values
