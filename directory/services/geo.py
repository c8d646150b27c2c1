"""Finding what is near: distances, the entries around a point, a site's centre, and the
entries the public sees."""

import math

from django.db.models import Q

from directory.models import ServiceEntry

EARTH_KM = 6371.0088


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def bounding_box(lat, lon, radius_km):
    dlat = radius_km / 111.32
    dlon = radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def ranked(queryset, lat, lon, radius_km=None):
    """[(distance in km or None, pk)] of `queryset`, nearest to (lat, lon) first, ties by
    name: within `radius_km` when given, else every entry, those without a position last.
    The indexed bounding box does the filtering in the database (any database: no spatial
    extension needed); exact distances are computed on what is left."""
    if radius_km is not None:
        south, north, west, east = bounding_box(lat, lon, radius_km)
        queryset = queryset.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    rows = []
    for pk, la, lo, name in queryset.order_by().values_list("pk", "latitude", "longitude", "name"):
        d = distance_km(lat, lon, la, lo) if la is not None and lo is not None else None
        if radius_km is not None and (d is None or d > radius_km):
            continue
        rows.append((d is None, d or 0.0, name.casefold(), pk, d))
    rows.sort()
    return [(d, pk) for *_key, pk, d in rows]


def nearest(queryset, lat, lon, radius_km=10.0, limit=20):
    """The entries of `queryset` within `radius_km` of (lat, lon), nearest first, with
    `.distance_km` set."""
    found = ranked(queryset, lat, lon, radius_km)[:limit]
    by_pk = queryset.in_bulk([pk for _d, pk in found])
    result = []
    for d, pk in found:
        entry = by_pk[pk]
        entry.distance_km = d
        result.append(entry)
    return result


def site_centre(site):
    """(latitude, longitude) of the commune whose site this is, or None (the portal, an
    EPCI, a commune without a known centre)."""
    from communes.models import Collectivite

    return (
        Collectivite.objects.filter(site_id=site.pk, latitude__isnull=False)
        .values_list("latitude", "longitude")
        .first()
    )


def public_entries():
    return ServiceEntry.objects.active().select_related("category", "commune")


def entries_filter(category=None, commune=None):
    q = Q()
    if category:
        q &= Q(category__slug=category)
    if commune:
        q &= Q(commune__code=commune)
    return q
