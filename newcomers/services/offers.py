"""The offers as visitors see them: current ones only, with the coordinates of their
commune's centre (an offer's own address is the seller's to give)."""

from django.db.models import Q

from communes.models import Collectivite
from newcomers.models.offers import OfferIndexPage, OfferPage
from serving.cache import cached

# The drawing's size, in SVG units; the Pays fits inside with a margin.
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 600, 440, 20


def current_offers(index):
    """The current offers of `index` and of its translations, each offer once: in the index's
    language when it is translated, else as written (an English visitor is shown the offers
    not yet translated, in French, rather than none)."""
    indexes = OfferIndexPage.objects.filter(translation_key=index.translation_key)
    below = Q()
    for path, depth in indexes.values_list("path", "depth"):
        below |= Q(path__startswith=path, depth=depth + 1)
    translated = OfferPage.objects.filter(
        locale_id=index.locale_id, path__startswith=index.path
    ).values("translation_key")
    return (
        OfferPage.objects.current()
        .filter(below)
        .filter(Q(locale_id=index.locale_id) | ~Q(translation_key__in=translated))
        .select_related("commune", "epci", "locale")
        .order_by("-published_date", "title", "pk")
    )


def offer_links(index, request=None, absolute=False):
    """`link(offer)`: the address of an offer of `current_offers(index)`. One in another
    language keeps its own address, under this index's language prefix when the visitor
    reads it through a prefix (/en/installez-vous/…: the French page, with the note that it
    is not translated yet)."""
    get = (
        (lambda page: page.get_full_url(request))
        if absolute
        else (lambda page: page.get_url(request))
    )
    base = get(index)
    others = {
        other.path: other
        for other in OfferIndexPage.objects.filter(translation_key=index.translation_key)
        .exclude(pk=index.pk)
        .select_related("locale")
    }
    prefix = "" if index.locale.is_default else f"/{index.locale.language_code}"

    def link(offer):
        if offer.locale_id == index.locale_id:
            return f"{base}{offer.slug}/"
        parent = others.get(offer.path[: -OfferPage.steplen])
        url = get(parent) if parent is not None else ""
        if not url:
            return get(offer)
        if url.startswith("/"):
            url = prefix + url
        return f"{url}{offer.slug}/"

    return link


def epci_choices():
    """The Pays' EPCIs, for the filter."""

    def build():
        return list(
            Collectivite.objects.filter(kind=Collectivite.Kind.EPCI)
            .order_by("name")
            .values("code", "name")
        )

    return cached("newcomers-epcis", [], build)


def _communes_points():
    def build():
        return list(
            Collectivite.objects.members()
            .filter(kind=Collectivite.Kind.COMMUNE, latitude__isnull=False)
            .values_list("name", "latitude", "longitude")
        )

    return cached("newcomers-commune-points", [], build)


class Projection:
    """Equirectangular, scaled to the Pays: enough for a département-sized area."""

    def __init__(self, points):
        import math

        lats = [p[1] for p in points] or [44.85]
        lons = [p[2] for p in points] or [0.48]
        self.south, self.north = min(lats), max(lats)
        self.west, self.east = min(lons), max(lons)
        self.kx = math.cos(math.radians((self.south + self.north) / 2))
        width = max((self.east - self.west) * self.kx, 1e-6)
        height = max(self.north - self.south, 1e-6)
        self.scale = min(
            (MAP_WIDTH - 2 * MAP_MARGIN) / width, (MAP_HEIGHT - 2 * MAP_MARGIN) / height
        )

    def __call__(self, latitude, longitude):
        x = MAP_MARGIN + (longitude - self.west) * self.kx * self.scale
        y = MAP_MARGIN + (self.north - latitude) * self.scale
        return round(x, 1), round(y, 1)


def offers_map(offers, offer_url):
    """The drawing of the offers: every commune a dot, every commune with offers a marker
    that links to them. Drawn here, with no tile server and no script."""
    points = _communes_points()
    project = Projection(points)
    markers = {}
    for offer in offers:
        commune = offer.commune
        if commune.latitude is None:
            continue
        marker = markers.setdefault(
            commune.pk,
            {
                "commune": commune.name,
                "xy": project(commune.latitude, commune.longitude),
                "offers": [],
            },
        )
        marker["offers"].append({"title": offer.title, "url": offer_url(offer)})
    return {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "dots": [project(lat, lon) for _name, lat, lon in points],
        "markers": list(markers.values()),
    }


def offers_geojson(offers, offer_url):
    features = []
    for offer in offers:
        commune = offer.commune
        if commune.latitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(commune.longitude, 5), round(commune.latitude, 5)],
                },
                "properties": {
                    "name": offer.title,
                    "url": offer_url(offer),
                    "sector": offer.sector,
                    "sector_label": str(offer.get_sector_display()),
                    "commune": commune.name,
                    "epci": offer.epci.name if offer.epci_id else "",
                    "expires": offer.expiry_date.isoformat(),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
