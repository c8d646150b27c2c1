"""What visitors see of the directory: the list of services around a commune (with a map
for those who ask for it) and one page per service. Every page works without JavaScript;
the map only adds to the list, from the GeoJSON of directory.api."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communes.services.hours import paris_now, upcoming_exceptions
from directory.api import GEOJSON_MAX_PAGE_SIZE
from directory.filters import DEFAULT_RADIUS_KM, ServicesFilterForm
from directory.jsonld import entry_jsonld, jsonld_script
from directory.models import ServicesPage
from directory.places import communes_in, directory_reference, portal_entry_base, site_commune
from directory.services.geo import entries_filter, public_entries, ranked

PAGE_SIZE = 25
SOURCE_LABELS = {
    "local": gettext_lazy("saisie par l'équipe du Pays"),
    "annuaire": gettext_lazy("Annuaire de l'administration (service-public.fr)"),
    "france-services": gettext_lazy("carte des France Services (ANCT)"),
    "csv": gettext_lazy("fichier importé par l'équipe du Pays"),
}


def _tel(phone):
    return re.sub(r"[^\d+]", "", phone or "")


# --- The list ------------------------------------------------------------------------------


@dataclass
class Centre:
    latitude: float
    longitude: float
    label: str


def _search(filters, home, reference):
    """Where to measure from (None: nowhere, A–Z), how far to look (None: no limit), and
    the commune chosen. A postcode or name typed wins over the browser's position, which
    stays in the form's hidden fields from one search to the next."""
    communes = {p["code"]: p for p in communes_in(reference)}
    commune = communes.get(filters.get("commune") or "")
    centre = None
    if filters.get("place"):
        place = filters["place"]
        centre = Centre(place["latitude"], place["longitude"], place["name"])
    elif filters.get("lat") is not None:
        centre = Centre(filters["lat"], filters["lon"], _("votre position"))
    elif commune and commune["latitude"] is not None:
        centre = Centre(commune["latitude"], commune["longitude"], commune["name"])
    elif home:
        centre = Centre(home["latitude"], home["longitude"], home["name"])
    # A chosen commune bounds the list itself; a radius would only drop its outlying places.
    radius = filters.get("distance") or DEFAULT_RADIUS_KM
    if centre is None or commune:
        radius = None
    return centre, radius, commune


def _results_title(count, centre, radius, commune):
    if commune:
        text = ngettext("%(count)d service à %(place)s", "%(count)d services à %(place)s", count)
        return text % {"count": count, "place": commune["name"]}
    if centre and radius:
        text = ngettext(
            "%(count)d service à moins de %(km)d km de %(place)s",
            "%(count)d services à moins de %(km)d km de %(place)s",
            count,
        )
        return text % {"count": count, "km": radius, "place": centre.label}
    return ngettext("%(count)d service", "%(count)d services", count) % {"count": count}


def _tile_source(url):
    host = urlsplit(url).hostname or ""
    if not host:
        return _("ce site")
    return "OpenStreetMap" if host.endswith("openstreetmap.org") else host


def services_index(request, page):
    """The services around the site's commune (A–Z on the portal), filtered, paginated."""
    reference = directory_reference()
    home = site_commune(reference, page)
    bound = any(name in request.GET for name in ServicesFilterForm.base_fields)
    data = None
    if bound:
        data = request.GET.copy()
        # A link that names no distance shows the default one selected, not the first.
        data.setdefault("distance", str(DEFAULT_RADIUS_KM))
    form = ServicesFilterForm(data, reference=reference)
    filters, status = {}, 200
    if bound:
        if form.is_valid():
            filters = {**form.cleaned_data, "place": form.place}
        else:
            # The errors are listed above the form; below, the list it would show unfiltered.
            status = 400
            form.describe_errors()
    centre, radius, commune = _search(filters, home, reference)

    queryset = public_entries().filter(
        entries_filter(filters.get("categorie"), filters.get("commune"))
    )
    rows = queryset.prefetch_related("opening_hours", "hours_exceptions")
    if centre is not None:
        paginator = Paginator(
            ranked(queryset, centre.latitude, centre.longitude, radius), PAGE_SIZE
        )
        page_obj = paginator.get_page(request.GET.get("page"))
        by_pk = rows.in_bulk([pk for _d, pk in page_obj.object_list])
        entries = []
        for d, pk in page_obj.object_list:
            if pk in by_pk:  # unless deleted in between
                by_pk[pk].distance_km = d
                entries.append(by_pk[pk])
    else:
        paginator = Paginator(rows.order_by("name", "pk"), PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        entries = list(page_obj.object_list)
        for entry in entries:
            entry.distance_km = None
    base = page.get_url(request)
    for entry in entries:
        entry.url = base + ServicesPage.entry_path(entry)
        entry.tel = _tel(entry.phone)

    api = {"page_size": GEOJSON_MAX_PAGE_SIZE}
    if centre is not None and radius is not None:
        api.update(near=f"{centre.latitude:.5f},{centre.longitude:.5f}", radius_km=radius)
    if filters.get("categorie"):
        api["category"] = filters["categorie"]
    if filters.get("commune"):
        api["commune"] = filters["commune"]

    context = page.get_context(request)
    context.update(
        form=form,
        filtered=bound,
        entries=entries,
        page_obj=page_obj,
        paginator=paginator,
        page_range=paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
        centre=centre,
        results_title=_results_title(paginator.count, centre, radius, commune),
        services_url=base,
        map={
            "data_url": reverse("services_geojson") + "?" + urlencode(api),
            "entry_base": base,
            "tile_url": settings.DIRECTORY_TILE_URL,
            "tile_source": _tile_source(settings.DIRECTORY_TILE_URL),
            "attribution": settings.DIRECTORY_TILE_ATTRIBUTION,
            "latitude": centre.latitude if centre else None,
            "longitude": centre.longitude if centre else None,
        },
    )
    return TemplateResponse(request, "directory/services_page.html", context, status=status)


# --- One service ---------------------------------------------------------------------------


def _source_label(source):
    if source in SOURCE_LABELS:
        return SOURCE_LABELS[source]
    if source.startswith("scraper"):
        return _("site internet de la structure")
    return source


def _website_label(url):
    parts = urlsplit(url)
    label = (parts.hostname or url).removeprefix("www.")
    path = parts.path.rstrip("/")
    return label + path if path and len(label + path) <= 50 else label


def service_detail(request, page, pk, slug):
    entry = (
        public_entries().prefetch_related("opening_hours", "hours_exceptions").filter(pk=pk).first()
    )
    if entry is None:
        raise Http404(_("Ce service n'existe pas ou n'est plus référencé."))
    path = ServicesPage.entry_path(entry)
    if slug != entry.slug:
        return HttpResponsePermanentRedirect(page.get_url(request) + path)
    # The same entry has a page below every site's ServicesPage: search engines are pointed
    # to one of them, the portal's.
    canonical = (portal_entry_base() or page.get_full_url(request)) + path
    today = paris_now().date()
    exceptions = sorted(
        upcoming_exceptions(entry.hours_exceptions.all(), today), key=lambda e: e.date_from
    )
    context = page.get_context(request)
    context.update(
        entry=entry,
        status=entry.status_now,
        has_hours=bool(entry.opening_hours.all()),
        weekly_hours=entry.weekly_hours,
        exceptions=exceptions,
        tel=_tel(entry.phone),
        website_label=_website_label(entry.website) if entry.website else "",
        osm_url=(
            f"https://www.openstreetmap.org/?mlat={entry.latitude:.5f}&mlon={entry.longitude:.5f}"
            f"#map=17/{entry.latitude:.5f}/{entry.longitude:.5f}"
            if entry.has_position
            else ""
        ),
        source_label=_source_label(entry.source),
        canonical_url=canonical,
        services_url=page.get_url(request),
        jsonld=jsonld_script(entry_jsonld(entry, canonical, exceptions)),
    )
    return TemplateResponse(request, "directory/service_detail.html", context)
