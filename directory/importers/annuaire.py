"""Annuaire de l'administration (service-public.fr): the State's directory of local services.

Two shapes of the same records: the bulk JSON file (`{"service": [...]}`, nested fields as
arrays) and the records API (`{"results": [...]}`, the same nested fields encoded as JSON
strings). Only the services of the Pays' communes are kept.
"""

import datetime
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.base import EntryRecord, Importer, ImportFileError, Rejected

NESTED = ("adresse", "pivot", "telephone", "site_internet", "plage_ouverture", "adresse_courriel")
DAYS = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
MAX_DEPTH = 40


def decode_json(data: bytes, name: str):
    """JSON from untrusted bytes: UTF-8 only, whole, not absurdly nested."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("%(name)s n'est pas en UTF-8 (octet illisible à la position %(pos)d).")
            % {"name": name, "pos": exc.start}
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("%(name)s n'est pas du JSON valide (ligne %(line)d, colonne %(col)d : %(msg)s).")
            % {"name": name, "line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    except RecursionError as exc:
        raise ImportFileError(_("%s est imbriqué trop profondément.") % name) from exc


def pays_commune_codes():
    from communes.models import Collectivite

    return set(
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE).values_list("code", flat=True)
    )


def _as_list(value):
    """A nested field, whichever shape it came in: array, JSON string, or nothing."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(_("champ imbriqué illisible : %s") % exc.msg) from exc
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise ValueError(_("champ imbriqué inattendu (%s)") % type(value).__name__)
    return value


def _time(value):
    if not value:
        return None
    return datetime.time.fromisoformat(str(value)[:8])


def _coordinate(value, low, high, label):
    if value in (None, ""):
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError as exc:
        raise ValueError(
            _("%(label)s : « %(value)s » n'est pas un nombre") % {"label": label, "value": value}
        ) from exc
    if not low <= number <= high:
        raise ValueError(_("%(label)s hors limites : %(value)s") % {"label": label, "value": value})
    return number


def _modified(value):
    if not value:
        return None
    text = str(value).strip()
    for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.datetime.strptime(text[:19], pattern)
            break
        except ValueError:
            continue
    else:
        try:
            parsed = datetime.datetime.fromisoformat(text)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def opening_rows(ranges):
    """plage_ouverture → one row per weekday covered, up to two ranges each."""
    rows = []
    for plage in ranges:
        first = DAYS.get(str(plage.get("nom_jour_debut", "")).strip().lower())
        last = DAYS.get(str(plage.get("nom_jour_fin") or plage.get("nom_jour_debut", "")).lower())
        if first is None or last is None:
            raise ValueError(_("jour d'ouverture inconnu : %s") % plage.get("nom_jour_debut"))
        times = {
            "morning_open": _time(plage.get("valeur_heure_debut_1")),
            "morning_close": _time(plage.get("valeur_heure_fin_1")),
            "afternoon_open": _time(plage.get("valeur_heure_debut_2")),
            "afternoon_close": _time(plage.get("valeur_heure_fin_2")),
        }
        for weekday in range(first, last + 1):
            rows.append({"weekday": weekday, **times})
    return rows


class AnnuaireImporter(Importer):
    source = "annuaire"
    label = gettext_lazy("Annuaire de l'administration (service-public.fr)")
    suffixes = (".json",)

    def __init__(self, commune_codes=None):
        self.commune_codes = commune_codes

    def records_of(self, document, name):
        if isinstance(document, list):
            return document
        if isinstance(document, dict):
            for key in ("service", "results", "records"):
                if isinstance(document.get(key), list):
                    return document[key]
        raise ImportFileError(
            _(
                "%s ne ressemble pas à un export de l'Annuaire de l'administration "
                "(liste « service » ou « results » attendue)."
            )
            % name
        )

    def parse(self, source):
        codes = self.commune_codes if self.commune_codes is not None else pays_commune_codes()
        documents = [(name, decode_json(data, name)) for name, data in source.files]
        for name, document in documents:
            for position, raw in enumerate(self.records_of(document, name), 1):
                if not isinstance(raw, dict):
                    yield Rejected(
                        f"{name} #{position}", _("enregistrement qui n'est pas un objet")
                    )
                    continue
                record = raw.get("fields", raw)  # the old records API wrapped each one
                if str(record.get("code_insee_commune", "")) not in codes:
                    continue
                try:
                    yield self.entry(record)
                except (ValueError, TypeError, KeyError) as exc:
                    where = record.get("id") or f"{name} #{position}"
                    yield Rejected(str(where), str(exc))

    def entry(self, record):
        nested = {key: _as_list(record.get(key)) for key in NESTED}
        if not record.get("id") or not record.get("nom"):
            raise ValueError(_("identifiant ou nom manquant"))
        pivots = [p.get("type_service_local", "") for p in nested["pivot"] if isinstance(p, dict)]
        addresses = [a for a in nested["adresse"] if isinstance(a, dict)]
        physical = next(
            (a for a in addresses if a.get("type_adresse") == "Adresse"),
            addresses[0] if addresses else {},
        )
        street = "\n".join(
            str(physical.get(key)).strip()
            for key in ("complement1", "numero_voie", "complement2", "service_distribution")
            if physical.get(key)
        )
        phones = [t.get("valeur", "") for t in nested["telephone"] if isinstance(t, dict)]
        sites = [s.get("valeur", "") for s in nested["site_internet"] if isinstance(s, dict)]
        emails = [
            e if isinstance(e, str) else e.get("valeur", "") for e in nested["adresse_courriel"]
        ]
        fields = {
            "address": street,
            "postcode": str(physical.get("code_postal") or "")[:10],
            "city": str(physical.get("nom_commune") or "")[:100],
            "latitude": _coordinate(physical.get("latitude"), -90, 90, "latitude"),
            "longitude": _coordinate(physical.get("longitude"), -180, 180, "longitude"),
            "position_approximate": False,
            "phone": (phones[0] if phones else "")[:40],
            "email": emails[0] if emails else "",
            "website": sites[0] if sites else "",
            "source_url": record.get("url_service_public") or "",
            "source_modified": _modified(record.get("date_modification")),
        }
        return EntryRecord(
            external_id=str(record["id"]),
            name=str(record["nom"]),
            category=pivots[0] if pivots else "autre",
            fields=fields,
            hours=opening_rows(nested["plage_ouverture"]),
            commune_code=str(record.get("code_insee_commune", "")),
        )
