"""Where identity cards and passports are applied for: only the mairies equipped with a
recording station (« dispositif de recueil »), not every mairie. A visitor of a commune
without one is sent to the nearest ones, measured from the commune's centre.
"""

from django.utils.translation import gettext_lazy as _

from directory.models import ServiceEntry
from directory.services.geo import distance_km

# The pivot code the passport fiches give for « Mairie délivrant des passeports biométriques ».
IDENTITY_PIVOT = "mairie_passeport_bio"
# The identity-card fiches (dossier N358) send people to « Mairie délivrant des cartes
# d'identité » with ANTS's map and no pivot code: they are known by their ids.
IDENTITY_FICHES = frozenset(
    {"F1341", "F1342", "F21089", "F21090", "F1344", "F1759", "F1153", "F1794", "N358", "N360"}
)
STATIONS_SHOWN = 3
STATIONS_LABEL = _("Mairie équipée pour les cartes d'identité et les passeports")


def is_identity_fiche(fiche):
    return fiche.fiche_id in IDENTITY_FICHES or IDENTITY_PIVOT in (fiche.pivots or [])


def nearest_stations(latitude, longitude, limit=STATIONS_SHOWN):
    """The active entries with a recording station, nearest first, with `.distance_km`.
    An entry without a position of its own is placed at its commune's centre: the demo
    mairies of the registry have none. There are a few dozen stations in a department, so
    they are all measured."""
    rows = (
        ServiceEntry.objects.active()
        .filter(recording_station=True)
        .values_list(
            "pk", "name", "latitude", "longitude", "commune__latitude", "commune__longitude"
        )
    )
    ranked = []
    for pk, name, lat, lon, commune_lat, commune_lon in rows:
        if lat is None or lon is None:
            lat, lon = commune_lat, commune_lon
        if lat is None or lon is None:
            continue
        ranked.append((distance_km(latitude, longitude, lat, lon), name.casefold(), pk))
    ranked.sort()
    chosen = ranked[:limit]
    by_pk = ServiceEntry.objects.in_bulk([pk for _d, _n, pk in chosen])
    found = []
    for distance, _name, pk in chosen:
        entry = by_pk[pk]
        entry.distance_km = distance
        found.append(entry)
    return found


def mark_recording_stations(codes):
    """Mark the active mairies of these INSEE codes as recording stations (the demo data,
    or a list from the prefecture); returns how many entries were marked. The flag is the
    Pays's own: imports never touch it."""
    entries = ServiceEntry.objects.active().filter(
        category__slug="mairie", commune__code__in=list(codes), recording_station=False
    )
    count = 0
    for entry in entries:
        entry.recording_station = True
        # save(), not update(): the content version and the search index follow.
        entry.save(update_fields=["recording_station", "updated_at"])
        count += 1
    return count


def read_codes(path):
    """The INSEE codes of a list file: one a line, `#` starts a comment."""
    codes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        code = line.split("#", 1)[0].strip()
        if code:
            codes.append(code)
    return codes
