"""/api/services.geojson: the directory as open data, for the map and for other sites."""

import json
import math
import re
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.filters import DEFAULT_RADIUS_KM
from directory.models import ServicesPage
from directory.places import directory_reference, portal_entry_base
from directory.services.geo import entries_filter, public_entries, ranked

GEOJSON_PAGE_SIZE = 100
GEOJSON_MAX_PAGE_SIZE = 500
GEOJSON_MAX_RADIUS_KM = 200
# Far past the last page of any directory (500 entries a page), far below what a database
# OFFSET holds.
GEOJSON_MAX_PAGE = 100_000
GEOJSON_CACHE_SECONDS = 300
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


class BadParameter(ValueError):
    pass


@dataclass
class GeoQuery:
    near: tuple | None
    radius_km: float
    category: str
    commune: str
    page: int
    page_size: int


def _positive_int(params, name, default, maximum):
    value = params.get(name, "").strip()
    if not value:
        return default
    # ASCII digits only, and few of them: str.isdigit() takes "²", which int() refuses, and
    # a page past 2**63 rows would reach the database as an OFFSET it cannot hold.
    if not (value.isascii() and value.isdigit() and len(value) <= 9 and 1 <= int(value) <= maximum):
        raise BadParameter(
            _("« %(name)s » doit être un entier entre 1 et %(max)d.")
            % {"name": name, "max": maximum}
        )
    return int(value)


def parse_geo_query(params, categories):
    """The GeoJSON's parameters, checked; BadParameter says, in French, what is wrong."""
    near = None
    text = params.get("near", "").strip()
    if text:
        try:
            lat, lon = (float(part) for part in text.split(","))
        except ValueError:
            raise BadParameter(
                _(
                    "« near » attend une latitude et une longitude séparées par une virgule, "
                    "par exemple near=44.853,0.483."
                )
            ) from None
        if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
            raise BadParameter(
                _(
                    "« near » : la latitude doit être entre -90 et 90, "
                    "la longitude entre -180 et 180."
                )
            )
        near = (lat, lon)
    radius = DEFAULT_RADIUS_KM
    text = params.get("radius_km", "").strip()
    if text:
        if near is None:
            raise BadParameter(_("« radius_km » ne va pas sans « near » (le point de départ)."))
        try:
            radius = float(text)
        except ValueError:
            radius = math.nan
        if not (math.isfinite(radius) and 0 < radius <= GEOJSON_MAX_RADIUS_KM):
            raise BadParameter(
                _("« radius_km » doit être un nombre de kilomètres, plus de 0 et au plus %d.")
                % GEOJSON_MAX_RADIUS_KM
            )
    category = params.get("category", "").strip()
    if category and category not in categories:
        raise BadParameter(
            _("Catégorie inconnue : « %(value)s ». Catégories : %(known)s.")
            % {"value": category, "known": ", ".join(categories)}
        )
    commune = params.get("commune", "").strip().upper()
    if commune and not INSEE_CODE.match(commune):
        raise BadParameter(
            _("« commune » attend un code INSEE de 5 caractères, par exemple commune=24037.")
        )
    return GeoQuery(
        near=near,
        radius_km=radius,
        category=category,
        commune=commune,
        page=_positive_int(params, "page", 1, GEOJSON_MAX_PAGE),
        page_size=_positive_int(params, "page_size", GEOJSON_PAGE_SIZE, GEOJSON_MAX_PAGE_SIZE),
    )


def _geojson_response(data, status=200):
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json" if status == 200 else "application/json",
        status=status,
    )
    # Open data: any site may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        patch_cache_control(response, public=True, max_age=GEOJSON_CACHE_SECONDS)
    return response


def _feature(entry, entry_base, distance):
    properties = {
        "id": entry.pk,
        "name": entry.name,
        "category": entry.category.slug,
        "category_label": str(entry.category.label),
        "commune": entry.commune.code if entry.commune else None,
        "address": entry.address,
        "postcode": entry.postcode,
        "city": entry.city,
        "phone": entry.phone,
        "website": entry.website,
        "position_approximate": entry.position_approximate,
        "url": entry_base + ServicesPage.entry_path(entry) if entry_base else "",
    }
    if distance is not None:
        properties["distance_km"] = round(distance, 2)
    return {
        "type": "Feature",
        "id": entry.pk,
        "geometry": {"type": "Point", "coordinates": [entry.longitude, entry.latitude]},
        "properties": properties,
    }


def _link(request, rel, page_number):
    params = request.GET.copy()
    params["page"] = page_number
    return {
        "rel": rel,
        "type": "application/geo+json",
        "href": request.build_absolute_uri(f"{request.path}?{params.urlencode()}"),
    }


@require_safe
def services_geojson(request):
    """/api/services.geojson: the active entries that have a position, as a paginated
    FeatureCollection. `near=LAT,LON` sorts them by distance and keeps those within
    `radius_km` (10 by default, 200 at most)."""
    reference = directory_reference()
    try:
        query = parse_geo_query(request.GET, [slug for slug, _label in reference["categories"]])
    except BadParameter as exc:
        return _geojson_response({"error": str(exc)}, status=400)

    queryset = public_entries().filter(
        entries_filter(query.category, query.commune),
        latitude__isnull=False,
        longitude__isnull=False,
    )
    start = (query.page - 1) * query.page_size
    end = start + query.page_size
    if query.near:
        found = ranked(queryset, *query.near, query.radius_km)
        matched = len(found)
        by_pk = queryset.in_bulk([pk for _d, pk in found[start:end]])
        rows = [(by_pk[pk], d) for d, pk in found[start:end] if pk in by_pk]
    else:
        matched = queryset.count()
        rows = [(entry, None) for entry in queryset.order_by("name", "pk")[start:end]]

    entry_base = portal_entry_base()
    links = [_link(request, "self", query.page)]
    if end < matched:
        links.append(_link(request, "next", query.page + 1))
    if query.page > 1:
        links.append(
            _link(request, "prev", min(query.page - 1, max(1, -(-matched // query.page_size))))
        )
    return _geojson_response(
        {
            "type": "FeatureCollection",
            "features": [_feature(entry, entry_base, d) for entry, d in rows],
            "numberMatched": matched,
            "numberReturned": len(rows),
            "links": links,
        }
    )
