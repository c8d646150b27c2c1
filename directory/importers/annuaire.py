"""Annuaire de l'administration (service-public.fr): the State's directory of local services.

Two shapes of the same records: the bulk JSON file (`{"service": [...]}`, nested fields as
arrays) and the records API (`{"results": [...]}`, the same nested fields encoded as JSON
strings). Only the services of the Pays' communes are kept; the others are counted as
skipped, with their commune.

The bulk file is the whole directory of the départements it holds: a run archives, in those
départements only, the entries it no longer has. An API answer is a page of a query (paged,
filtered): it archives nothing.
"""

import datetime
import json
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.annuaire_places import departement_of, page_url
from directory.importers.base import (
    EntryRecord,
    Importer,
    ImportFileError,
    Rejected,
    Scope,
    Skipped,
)

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
PARIS = ZoneInfo("Europe/Paris")
# The shape of a whole export; the others are answers of the records API, pages of a query.
WHOLE_FILE_KEY = "service"
ACCESSIBILITY = {
    "ACC": gettext_lazy("Accessible en fauteuil roulant"),
    "DEM": gettext_lazy("Accessible en fauteuil roulant avec une aide, sur demande"),
    "NAC": gettext_lazy("Non accessible en fauteuil roulant"),
}


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
        # The Annuaire writes the time of day in Paris, without saying so.
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed


def opening_rows(ranges, warnings=None):
    """plage_ouverture → one row per weekday covered, up to two ranges each. A range that
    cannot be read is left out and said in `warnings` (or raises ValueError without it)."""
    rows = []
    for plage in ranges:
        try:
            rows += _plage_rows(plage)
        except (ValueError, TypeError, AttributeError) as exc:
            if warnings is None:
                raise
            warnings.append(_("plage horaire ignorée : %s") % exc)
    return rows


def _plage_rows(plage):
    first = DAYS.get(str(plage.get("nom_jour_debut", "")).strip().lower())
    last = DAYS.get(
        str(plage.get("nom_jour_fin") or plage.get("nom_jour_debut", "")).strip().lower()
    )
    if first is None or last is None:
        raise ValueError(_("jour d'ouverture inconnu : %s") % plage.get("nom_jour_debut"))
    times = {
        "morning_open": _time(plage.get("valeur_heure_debut_1")),
        "morning_close": _time(plage.get("valeur_heure_fin_1")),
        "afternoon_open": _time(plage.get("valeur_heure_debut_2")),
        "afternoon_close": _time(plage.get("valeur_heure_fin_2")),
    }
    return [{"weekday": weekday, **times} for weekday in range(first, last + 1)]


def hours_notes(record, ranges):
    """What the Annuaire says of its hours in words: « Lundi – Vendredi : sur rendez-vous »."""
    notes = []
    for plage in ranges:
        comment = str(plage.get("commentaire") or "").strip() if isinstance(plage, dict) else ""
        if not comment:
            continue
        first = str(plage.get("nom_jour_debut") or "").strip()
        last = str(plage.get("nom_jour_fin") or "").strip()
        days = first if not last or last == first else f"{first} – {last}"
        notes.append(f"{days} : {comment}" if days else comment)
    general = str(record.get("commentaire_plage_ouverture") or "").strip()
    return notes + ([general] if general else [])


def accessibility(address):
    """(text shown, code): « Accessible en fauteuil roulant — rampe d'accès », "ACC"."""
    code = str(address.get("accessibilite") or "").strip()
    note = str(address.get("note_accessibilite") or "").strip()
    label = str(ACCESSIBILITY.get(code.upper(), _("Accessibilité : %s") % code if code else ""))
    return " — ".join(part for part in (label, note) if part), code


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
        self.partial = not documents
        self.departements = set()
        for name, document in documents:
            if not self.is_whole_file(document):
                self.partial = True
            for position, raw in enumerate(self.records_of(document, name), 1):
                if not isinstance(raw, dict):
                    yield Rejected(
                        f"{name} #{position}", _("enregistrement qui n'est pas un objet")
                    )
                    continue
                record = raw.get("fields", raw)  # the old records API wrapped each one
                code = str(record.get("code_insee_commune") or "").strip()
                if departement := departement_of(code):
                    self.departements.add(departement)
                if code not in codes:
                    yield Skipped(
                        str(record.get("nom") or record.get("id") or f"{name} #{position}"),
                        _("hors du Pays : %s") % f"{code} {self.commune_name(record)}".strip(),
                    )
                    continue
                try:
                    yield self.entry(record)
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    where = record.get("id") or f"{name} #{position}"
                    yield Rejected(str(where), str(exc))

    def is_whole_file(self, document):
        return isinstance(document, dict) and isinstance(document.get(WHOLE_FILE_KEY), list)

    def archive_scope(self, source, items):
        """The départements of the file's records (those of the Pays or not), if it is a
        whole export; nothing for an API answer."""
        if getattr(self, "partial", True):
            return Scope.partial(_("fichier partiel"))
        if not self.departements:
            return Scope.partial(_("aucun département dans le fichier"))
        names = sorted(self.departements)
        covers = Q()
        for departement in names:
            covers |= Q(commune__code__startswith=departement)
        if len(names) == 1:
            return Scope(_("département %s") % names[0], covers)
        return Scope(_("départements %s") % ", ".join(names), covers)

    @staticmethod
    def commune_name(record):
        try:
            addresses = _as_list(record.get("adresse"))
        except ValueError:
            return ""
        for address in addresses:
            if isinstance(address, dict) and address.get("nom_commune"):
                return str(address["nom_commune"]).strip()
        return ""

    def entry(self, record):
        nested = {key: _as_list(record.get(key)) for key in NESTED}
        if not record.get("id") or not str(record.get("nom") or "").strip():
            raise ValueError(_("identifiant ou nom manquant"))
        warnings = []
        pivots = [p.get("type_service_local", "") for p in nested["pivot"] if isinstance(p, dict)]
        addresses = [a for a in nested["adresse"] if isinstance(a, dict)]
        physical = next(
            (a for a in addresses if a.get("type_adresse") == "Adresse"),
            addresses[0] if addresses else {},
        )
        street = "\n".join(
            str(physical.get(key)).strip()
            for key in ("complement1", "numero_voie", "complement2", "service_distribution")
            if physical.get(key) and str(physical.get(key)).strip()
        )
        phones = [t.get("valeur", "") for t in nested["telephone"] if isinstance(t, dict)]
        sites = [s.get("valeur", "") for s in nested["site_internet"] if isinstance(s, dict)]
        emails = [
            e if isinstance(e, str) else e.get("valeur", "")
            for e in nested["adresse_courriel"]
            if isinstance(e, str | dict)
        ]
        access_text, access_code = accessibility(physical)
        insee = str(record.get("code_insee_commune", "")).strip()
        fields = {
            "address": street,
            "postcode": str(physical.get("code_postal") or "").strip()[:10],
            "city": str(physical.get("nom_commune") or "").strip()[:100],
            **self.position(physical, warnings),
            "phone": str(phones[0] if phones else ""),
            "email": str(emails[0] if emails else ""),
            "website": str(sites[0] if sites else ""),
            "description": str(record.get("information_complementaire") or "").strip(),
            "accessibility": access_text,
            "extra": self.extra_fields(record, nested, access_code),
            "source_url": str(record.get("url_service_public") or "").strip()
            or page_url(str(record["id"]), insee),
            "source_modified": _modified(record.get("date_modification")),
        }
        return EntryRecord(
            external_id=str(record["id"]),
            name=str(record["nom"]).strip(),
            category=pivots[0] if pivots else "autre",
            fields=fields,
            hours=opening_rows(nested["plage_ouverture"], warnings),
            commune_code=insee,
            warnings=warnings,
        )

    @staticmethod
    def position(address, warnings):
        """Latitude and longitude, both or neither: one that is not a number is said."""
        try:
            latitude = _coordinate(address.get("latitude"), -90, 90, "latitude")
            longitude = _coordinate(address.get("longitude"), -180, 180, "longitude")
        except ValueError as exc:
            warnings.append(_("position ignorée : %s") % exc)
            latitude = longitude = None
        if latitude is None or longitude is None:
            latitude = longitude = None
        return {"latitude": latitude, "longitude": longitude, "position_approximate": False}

    @staticmethod
    def extra_fields(record, nested, access_code):
        """What the Annuaire says that has no field of its own."""
        extra = {}
        if notes := hours_notes(record, nested["plage_ouverture"]):
            extra["horaires_precisions"] = notes
        if access_code:
            extra["accessibilite_code"] = access_code
        for key in ("sigle", "siret", "siren"):
            if value := str(record.get(key) or "").strip():
                extra[key] = value
        for phone in nested["telephone"][1:]:
            if isinstance(phone, dict) and str(phone.get("valeur") or "").strip():
                extra.setdefault("autres_telephones", []).append(str(phone["valeur"]).strip())
        return extra
