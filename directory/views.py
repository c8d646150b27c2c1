"""What visitors see of the directory: the list of services around a commune (with a map
for those who ask for it), one page per service, and the GeoJSON the map and other sites
read. Every page works without JavaScript; the map only adds to the list."""

import json
import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communes.models import Collectivite
from communes.services.hours import paris_now
from directory.models import Category, ServicesPage
from directory.services import entries_filter, public_entries, ranked
from parsing.text import name_key
from serving.cache import cached
from serving.pages import site_for_page

DISTANCES_KM = (2, 5, 10, 20, 50)
DEFAULT_RADIUS_KM = 10
PAGE_SIZE = 25

GEOJSON_PAGE_SIZE = 100
GEOJSON_MAX_PAGE_SIZE = 500
GEOJSON_MAX_RADIUS_KM = 200
# Far past the last page of any directory (500 entries a page), far below what a database
# OFFSET holds.
GEOJSON_MAX_PAGE = 100_000
GEOJSON_CACHE_SECONDS = 300

# Categories whose places are public offices (schema.org GovernmentOffice); the others are
# described as LocalBusiness.
PUBLIC_CATEGORIES = {
    "mairie",
    "france-services",
    "caf",
    "cpam",
    "msa",
    "emploi",
    "impots",
    "securite",
    "intercommunalite",
}
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SOURCE_LABELS = {
    "local": gettext_lazy("saisie par l'équipe du Pays"),
    "annuaire": gettext_lazy("Annuaire de l'administration (service-public.fr)"),
    "france-services": gettext_lazy("carte des France Services (ANCT)"),
    "csv": gettext_lazy("fichier importé par l'équipe du Pays"),
}
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
POSTCODE = re.compile(r"\b\d{5}\b")


# --- What every view needs, without a query ------------------------------------------------


def _reference():
    """The categories and the registry as plain values, per content version and language:
    the filters' choices, the postcode lookup and each site's commune."""

    def build():
        places = Collectivite.objects.values(
            "code", "name", "kind", "postcodes", "population", "latitude", "longitude", "site_id"
        )
        return {
            "categories": [(c.slug, str(c.label)) for c in Category.objects.all()],
            "places": [
                {**place, "postcodes": list(place["postcodes"] or [])}
                for place in places.order_by("name")
            ],
        }

    return cached("directory-reference", [get_language()], build)


def _communes(reference):
    return [p for p in reference["places"] if p["kind"] == Collectivite.Kind.COMMUNE]


def _site_commune(reference, page):
    """The commune whose site this page is on, when it has a centre (not the portal, not an
    EPCI: their territory has no single centre)."""
    site = site_for_page(page)
    if site is None:
        return None
    for place in _communes(reference):
        if place["site_id"] == site.pk and place["latitude"] is not None:
            return place
    return None


def _portal_entry_base():
    """Absolute URL of the portal's ServicesPage, below which every entry has its page."""

    def build():
        pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).first()
        if pays is None or pays.home_page_id is None:
            return ""
        page = ServicesPage.below(pays.home_page)
        return page.full_url if page else ""

    return cached("directory-portal-services", [], build)


def _tel(phone):
    return re.sub(r"[^\d+]", "", phone or "")


def _normalize(text):
    """'Saint-Laurent-des-Vignes', 'st laurent des vignes' → 'saint laurent des vignes'."""
    text = re.sub(r"\bst\b", "saint", name_key(text))
    return re.sub(r"\bste\b", "sainte", text)


def resolve_place(text, reference):
    """The commune of the Pays a visitor means by a postcode, a name, or both; None if none.

    A postcode shared by several communes means the most populous one: that is where its
    post office, and most of its services, are."""
    communes = [p for p in _communes(reference) if p["latitude"] is not None]
    postcode = POSTCODE.search(text)
    name = _normalize(POSTCODE.sub(" ", text))
    if postcode:
        communes = [p for p in communes if postcode.group() in p["postcodes"]]
    if name:
        named = [p for p in communes if _normalize(p["name"]) == name]
        if named or not postcode:
            return named[0] if named else None
    return max(communes, key=lambda p: p["population"] or 0, default=None)


# --- The list ------------------------------------------------------------------------------


class ServicesFilterForm(forms.Form):
    pres = forms.CharField(
        label=gettext_lazy("Code postal ou commune"),
        help_text=gettext_lazy("Par exemple 24100 ou Lalinde."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    categorie = forms.ChoiceField(label=gettext_lazy("Catégorie"), required=False)
    commune = forms.ChoiceField(label=gettext_lazy("Commune"), required=False)
    distance = forms.TypedChoiceField(
        label=gettext_lazy("Distance"),
        choices=[(km, f"{km} km") for km in DISTANCES_KM],
        coerce=int,
        empty_value=None,
        required=False,
        initial=DEFAULT_RADIUS_KM,
    )
    # Filled by the "près de chez moi" button from the browser's geolocation.
    lat = forms.FloatField(
        label=gettext_lazy("Latitude de votre position"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    lon = forms.FloatField(
        label=gettext_lazy("Longitude de votre position"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )

    def __init__(self, data=None, *, reference, **kwargs):
        super().__init__(data, **kwargs)
        self.reference = reference
        self.place = None
        self.fields["categorie"].choices = [("", _("Toutes les catégories"))] + list(
            reference["categories"]
        )
        self.fields["commune"].choices = [("", _("Toutes les communes"))] + [
            (p["code"], p["name"]) for p in _communes(reference)
        ]

    def clean_pres(self):
        text = self.cleaned_data["pres"].strip()
        if text:
            self.place = resolve_place(text, self.reference)
            if self.place is None:
                raise forms.ValidationError(
                    _("Aucune commune du Pays ne correspond à « %s ». Essayez un code postal.")
                    % text
                )
        return text

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None) and not (
            self.has_error("lat") or self.has_error("lon")
        ):
            self.add_error(
                None, _("Votre position est incomplète : réessayez « Près de chez moi ».")
            )
        return data

    def describe_errors(self):
        """Tie each error message to its field, for screen readers."""
        for name, field in self.fields.items():
            if self.has_error(name) and not field.widget.is_hidden:
                bound = self[name]
                ids = [f"{bound.auto_id}-error"]
                if field.help_text:
                    ids.insert(0, f"{bound.auto_id}_helptext")
                field.widget.attrs["aria-describedby"] = " ".join(ids)


@dataclass
class Centre:
    latitude: float
    longitude: float
    label: str


def _search(filters, home, reference):
    """Where to measure from (None: nowhere, A–Z), how far to look (None: no limit), and
    the commune chosen. A postcode or name typed wins over the browser's position, which
    stays in the form's hidden fields from one search to the next."""
    communes = {p["code"]: p for p in _communes(reference)}
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
    reference = _reference()
    home = _site_commune(reference, page)
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

_JSONLD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def jsonld_script(data):
    """<script type="application/ld+json">, escaped as json_script escapes: no text in the
    data can close the element or open another."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSONLD_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def _hhmm(value):
    return value.strftime("%H:%M")


def entry_jsonld(entry, url, exceptions):
    """schema.org description of the place, for search engines and assistants."""
    public = entry.category.slug in PUBLIC_CATEGORIES
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice" if public else "LocalBusiness",
        "@id": url,
        "name": entry.name,
        "url": entry.website or url,
    }
    if entry.description:
        data["description"] = entry.description
    address = {
        "@type": "PostalAddress",
        "streetAddress": ", ".join(line.strip() for line in entry.address.splitlines() if line),
        "postalCode": entry.postcode,
        "addressLocality": entry.city or (entry.commune.name if entry.commune else ""),
        "addressCountry": "FR",
    }
    data["address"] = {key: value for key, value in address.items() if value}
    if entry.has_position:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": entry.latitude,
            "longitude": entry.longitude,
        }
    if entry.phone:
        data["telephone"] = entry.phone
    if entry.email:
        data["email"] = entry.email
    specs = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[row.weekday]}",
            "opens": _hhmm(start),
            "closes": _hhmm(end),
        }
        for row in entry.opening_hours.all()
        for start, end in row.ranges
    ]
    for exception in exceptions:
        period = {
            "@type": "OpeningHoursSpecification",
            "validFrom": exception.date_from.isoformat(),
            "validThrough": (exception.date_to or exception.date_from).isoformat(),
        }
        # schema.org's way of saying "closed that day": opens and closes at midnight.
        ranges = [] if exception.closed else exception.ranges
        for start, end in ranges or [(None, None)]:
            specs.append(
                {
                    **period,
                    "opens": _hhmm(start) if start else "00:00",
                    "closes": _hhmm(end) if end else "00:00",
                }
            )
    if specs:
        data["openingHoursSpecification"] = specs
    return data


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
    canonical = (_portal_entry_base() or page.get_full_url(request)) + path
    today = paris_now().date()
    exceptions = sorted(
        (e for e in entry.hours_exceptions.all() if (e.date_to or e.date_from) >= today),
        key=lambda e: e.date_from,
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


# --- GeoJSON -------------------------------------------------------------------------------


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
    reference = _reference()
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

    entry_base = _portal_entry_base()
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
