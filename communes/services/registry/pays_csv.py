"""The Pays' own spreadsheet: its export from the admin, or any CSV with a code and a name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from communes.exports import restore_formula
from communes.models import Collectivite
from communes.services.registry.report import RegistryReport, record
from communes.services.registry.writer import RegistryWriter

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


def pays_columns(header):
    """The Pays' columns found in a header, or None without a code and a name."""
    normalized = [h.strip().lower() for h in header]
    columns = {}
    for target, aliases in CSV_COLUMNS.items():
        for alias in aliases:
            if alias in normalized:
                columns[target] = normalized.index(alias)
                break
    return columns if {"code", "name"} <= set(columns) else None


def load_pays_rows(rows, columns, report: RegistryReport):
    writer = RegistryWriter(report)
    epcis = {}
    for epci in Collectivite.objects.filter(kind=Collectivite.Kind.EPCI):
        epcis[epci.code] = epcis[epci.name.lower()] = epci.pk
    for line, row in rows:
        record(report, line, lambda row=row: writer.upsert(_csv_values(row, columns, epcis)))


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
