"""France Services sites, as the ANCT publishes them (GeoJSON, hours as text per weekday)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.importers.annuaire import decode_json
from directory.importers.base import EntryRecord, Importer, ImportFileError, Rejected
from directory.services.hours import parse_range, rows_from_ranges

WEEKDAY_COLUMNS = ("h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi")


def hours_from_text(day, text):
    """'9:00 - 12:00 / 13:30 - 16:00' → rows; '-' or '' → none."""
    if not any(ch.isdigit() for ch in text or ""):
        return []  # "-", "Horaires non communiqués": unknown, not closed
    parts = [part.strip() for part in text.split("/")]
    return rows_from_ranges(day, [parse_range(part) for part in parts if part and part != "-"])


class FranceServicesImporter(Importer):
    source = "france-services"
    label = gettext_lazy("France Services (ANCT)")
    suffixes = (".geojson", ".json")

    def parse(self, source):
        for name, data in source.files:
            document = decode_json(data, name)
            if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
                raise ImportFileError(_("%s n'est pas une FeatureCollection GeoJSON.") % name)
            for position, feature in enumerate(document.get("features") or [], 1):
                try:
                    yield self.entry(feature)
                except (ValueError, TypeError, KeyError, AttributeError) as exc:
                    yield Rejected(f"{name} #{position}", str(exc))

    def entry(self, feature):
        p = feature["properties"]
        if not p.get("MATRICULE") or not p.get("lib_france_services"):
            raise ValueError(_("identifiant ou nom manquant"))
        lon, lat = (float(c) for c in feature["geometry"]["coordinates"][:2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(_("coordonnées hors limites"))
        hours = []
        for day, column in enumerate(WEEKDAY_COLUMNS):
            hours += hours_from_text(day, p.get(column))
        street = "\n".join(
            str(p[key]).strip() for key in ("ADRESSE", "COMPLEMENT.D.ADRESSE") if p.get(key)
        )
        return EntryRecord(
            external_id=str(p["MATRICULE"]),
            name=f"France Services {p['lib_france_services']}",
            category="france-services",
            commune_code=str(p.get("insee_com") or ""),
            hours=hours,
            fields={
                "address": street,
                "postcode": str(p.get("code_postal") or "")[:10],
                "city": str(p.get("lib_com") or "").title()[:100],
                "latitude": lat,
                "longitude": lon,
                "position_approximate": False,
                "email": (p.get("CONTACT.MAIL") or "").strip(),
                "phone": (p.get("TELEPHONE") or "").strip()[:40],
                "description": (p.get("Commentaire.horaires") or "").strip(),
            },
        )
