"""A démarche page's service-public.fr fiche, and the places near the commune that give it.

Both are kept under the content version (serving.cache), which Fiche and ServiceEntry saves
bump: a page view that has been served once costs no query for them.
"""

from django import template
from django.utils.safestring import mark_safe
from wagtail.whitelist import allow_without_attributes

from communes.richtext import SUSPICIOUS, RenderedRichTextWhitelister
from directory.importers.comarquage import safe_url
from directory.models import Category, Fiche, ServiceEntry, ServicesPage
from directory.services.geo import nearest, site_centre
from directory.services.stations import (
    IDENTITY_PIVOT,
    STATIONS_LABEL,
    is_identity_fiche,
    nearest_stations,
)
from serving.cache import PAYS, cached
from serving.pages import site_for_page

register = template.Library()

NEAREST_RADIUS_KM = 30


class FicheWhitelister(RenderedRichTextWhitelister):
    element_rules = {
        **RenderedRichTextWhitelister.element_rules,
        **dict.fromkeys(("table", "caption", "tr", "th", "td"), allow_without_attributes),
    }


@register.filter
def fiche_html(value):
    """A fiche's body: made safe by the importer, and checked once more, as rich text is."""
    html = value or ""
    if SUSPICIOUS.search(html):
        html = FicheWhitelister().clean(html)
    return mark_safe(html)  # noqa: S308 - cleaned above


@register.filter
def web_links(services):
    """The online services that really are web addresses."""
    return [s for s in services or [] if safe_url(s.get("url")) and s.get("title")]


@register.simple_tag
def fiche_for(page):
    """The active fiche named by the page's `source_fiche`, or None."""
    return active_fiche((getattr(page, "source_fiche", "") or "").strip().upper())


def active_fiche(fiche_id):
    """The active fiche of this id, or None; kept under the content version."""
    if not fiche_id:
        return None
    active = Fiche.objects.filter(status=ServiceEntry.Status.ACTIVE)
    return cached(
        "fiche", [fiche_id], lambda: active.filter(fiche_id=fiche_id).first(), shared=False
    )


@register.simple_tag
def other_contacts(fiche):
    """The fiche's « Où s'adresser » the directory cannot resolve to a place of the Pays: a
    national service, a contact centre, a web site, or a local one it has no category for
    (an embassy), shown as the fiche gives them."""
    if fiche is None or not fiche.contacts:
        return []
    by_pivot = _categories_by_pivot()
    return [
        {**contact, "url": safe_url(contact.get("url"))}
        for contact in fiche.contacts
        if contact.get("title") and contact.get("pivot", "") not in by_pivot
    ]


@register.simple_tag
def forms_for(fiche):
    """The forms and online services (R publications) the fiche cites, in its order: those
    imported as their own rows, else what the fiche itself says of them."""
    if fiche is None:
        return []
    return cached("fiche-forms", [fiche.pk], lambda: _forms(fiche), shared=False)


def _forms(fiche):
    rows = Fiche.objects.filter(fiche_id__in=fiche.related, status=ServiceEntry.Status.ACTIVE).only(
        "fiche_id", "kind", "title", "description", "sp_url", "service_url", "cerfa"
    )
    found = {row.fiche_id: row for row in rows}
    forms = []
    for fiche_id in fiche.related:
        if row := found.get(fiche_id):
            url = safe_url(row.service_url) or row.sp_url
            forms.append(_form(row.kind, row.title, url, row.cerfa, row.description, row.sp_url))
    for service in fiche.online_services or []:
        if service.get("id") not in found and safe_url(service.get("url")) and service.get("title"):
            forms.append(
                _form(
                    service.get("kind", ""),
                    service["title"],
                    safe_url(service["url"]),
                    service.get("cerfa", ""),
                    service.get("description", ""),
                    "",
                )
            )
    return forms


def _form(kind, title, url, cerfa, description, sp_url):
    # An R publication's title repeats its kind: « Formulaire 12623*02 : Demande… ».
    prefix, separator, rest = title.partition(" : ")
    if separator and kind and prefix.startswith(kind) and rest:
        title = rest
    return {
        "kind": kind,
        "title": title,
        "url": url,
        "cerfa": cerfa,
        "description": description,
        "sp_url": sp_url,
    }


@register.simple_tag
def where_to_go(fiche, page):
    """[(label, ServiceEntry or None)]: for each place the fiche sends people to, that
    service in the page's commune, else the nearest one within 30 km of the commune's centre.

    Only the places the directory has a category for: the others (an embassy, for a fiche
    that also covers living abroad) are not services of the Pays. Identity papers are
    applied for at the mairies with a recording station: the nearest ones come first."""
    if fiche is None:
        return []
    identity = is_identity_fiche(fiche)
    if not fiche.pivots and not identity:
        return []
    site = site_for_page(page)
    if site is None:
        return []

    def build():
        pivots = [code for code in fiche.pivots or [] if code != IDENTITY_PIVOT]
        rows = (_stations(site) if identity else []) + _places(pivots, site)
        if any(entry is None for _what, entry in rows) and site_centre(site) is None:
            # The portal, an EPCI: no commune to be near, so nothing to say is missing.
            rows = [(what, entry) for what, entry in rows if entry is not None]
        return rows

    places = cached("fiche-places", [fiche.pk, site.pk], build, shared=False)
    # Category names are translated: their label is read at each view.
    return [(getattr(what, "label", what), entry) for what, entry in places]


def _stations(site):
    centre = site_centre(site)
    if centre is None:
        return []
    entries = nearest_stations(*centre)
    _set_urls(entries, site)
    return [(STATIONS_LABEL, entry) for entry in entries] or [(STATIONS_LABEL, None)]


def _categories_by_pivot():
    def build():
        found = {}
        for category in Category.objects.all():
            for code in category.service_public_types:
                found.setdefault(code, category)
        return found

    return cached("directory-categories-by-pivot", [], build, shared=False, scope=PAYS)


def _places(pivots, site):
    by_pivot = _categories_by_pivot()
    # In the fiche's order, once each (several codes may share a category).
    categories = list({by_pivot[c].pk: by_pivot[c] for c in pivots if c in by_pivot}.values())
    chosen = _local_entries({c.pk for c in categories}, site)
    if missing := {c.pk for c in categories} - chosen.keys():
        chosen.update(_nearest_entries(missing, site))
    _set_urls(list(chosen.values()), site)
    return [(category, chosen.get(category.pk)) for category in categories]


def _local_entries(categories, site):
    if not categories:
        return {}
    entries = ServiceEntry.objects.active().filter(
        category_id__in=categories, commune__site_id=site.pk
    )
    chosen = {}
    for entry in entries.order_by("name"):
        chosen.setdefault(entry.category_id, entry)
    return chosen


def _nearest_entries(categories, site):
    centre = site_centre(site)
    if centre is None:
        return {}
    chosen = {}
    for category in categories:
        found = nearest(
            ServiceEntry.objects.active().filter(category_id=category),
            *centre,
            radius_km=NEAREST_RADIUS_KM,
            limit=1,
        )
        if found:
            chosen[category] = found[0]
    return chosen


def _set_urls(entries, site):
    services_page = ServicesPage.below(site.root_page) if entries else None
    base = services_page.get_url(current_site=site) if services_page else ""
    for entry in entries:
        entry.page_url = base + ServicesPage.entry_path(entry) if services_page else ""
