"""The directory's panels on commune pages (communes.sections): the services nearest a
commune on its home page, a démarche page's service-public.fr fiche, and the map of the
collectivités on the portal."""

from django.conf import settings
from django.utils.translation import get_language

from communes.models.pages import collectivites_directory
from directory.models import ServicesPage
from directory.services.geo import nearest, public_entries, site_centre
from directory.templatetags.directory_fiches import fiche_for
from serving.cache import cached
from serving.pages import site_for_page

NEAREST_COUNT = 5
NEAREST_RADIUS_KM = 15


def _nearest_services(home):
    site = site_for_page(home)
    if site is None:
        return None
    centre = site_centre(site)
    services_page = ServicesPage.below(home)
    if centre is None or services_page is None:
        return None
    base = services_page.get_url(current_site=site)
    entries = nearest(public_entries(), *centre, radius_km=NEAREST_RADIUS_KM, limit=NEAREST_COUNT)
    return {
        "all_url": base,
        "radius_km": NEAREST_RADIUS_KM,
        "items": [
            {
                "name": entry.name,
                "url": base + ServicesPage.entry_path(entry),
                "category": str(entry.category.label),
                "city": entry.city,
                "distance_km": entry.distance_km,
                "approximate": entry.position_approximate,
            }
            for entry in entries
        ],
    }


def nearest_services(page):
    """The services nearest a commune's centre, for its home page. Plain values cached per
    content version, so that the home page still costs no query; nothing time-dependent
    ("ouvert maintenant") is shown, as it would have to be worked out at each view."""
    services = cached(
        "nearest-services",
        # The language too: category names are translated.
        [page.pk, get_language()],
        lambda: _nearest_services(page),
        shared=False,
    )
    # The template memoises its markup under the same key (page, language).
    return {"services": services, "home_id": page.pk}


def demarche_fiche(page):
    fiche = fiche_for(page)
    return {"fiche": fiche, "page": page} if fiche else None


def communes_map(page):
    """The portal's map of the collectivités, drawn by the directory's map (map.js) from the
    GeoJSON the /communes/ page serves: loaded only when the visitor asks for it."""
    from directory.views import _tile_source

    finder_url = collectivites_directory()["finder_url"]
    if not finder_url:
        return None
    return {
        "map": {
            "data_url": f"{finder_url}carte/",
            "tile_url": settings.DIRECTORY_TILE_URL,
            "tile_source": _tile_source(settings.DIRECTORY_TILE_URL),
            "attribution": settings.DIRECTORY_TILE_ATTRIBUTION,
        }
    }
