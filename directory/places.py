"""Which commune a visitor means, and what every directory view needs to know without a
query: the categories, the registry, the portal's services page."""

import re

from django.utils.translation import get_language

from communes.models import Collectivite
from directory.models import Category, ServicesPage
from parsing.text import name_key
from serving.cache import PAYS, cached
from serving.pages import site_for_page

POSTCODE = re.compile(r"\b\d{5}\b")


def directory_reference():
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

    return cached("directory-reference", [get_language()], build, scope=PAYS)


def communes_in(reference):
    return [p for p in reference["places"] if p["kind"] == Collectivite.Kind.COMMUNE]


def site_commune(reference, page):
    """The commune whose site this page is on, when it has a centre (not the portal, not an
    EPCI: their territory has no single centre)."""
    site = site_for_page(page)
    if site is None:
        return None
    for place in communes_in(reference):
        if place["site_id"] == site.pk and place["latitude"] is not None:
            return place
    return None


def portal_entry_base():
    """Absolute URL of the portal's ServicesPage, below which every entry has its page."""

    def build():
        pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).first()
        if pays is None or pays.home_page_id is None:
            return ""
        page = ServicesPage.below(pays.home_page)
        return page.full_url if page else ""

    return cached("directory-portal-services", [], build)


def _normalize(text):
    """'Saint-Laurent-des-Vignes', 'st laurent des vignes' → 'saint laurent des vignes'."""
    text = re.sub(r"\bst\b", "saint", name_key(text))
    return re.sub(r"\bste\b", "sainte", text)


def resolve_place(text, reference):
    """The commune of the Pays a visitor means by a postcode, a name, or both; None if none.

    A postcode shared by several communes means the most populous one: that is where its
    post office, and most of its services, are."""
    communes = [p for p in communes_in(reference) if p["latitude"] is not None]
    postcode = POSTCODE.search(text)
    name = _normalize(POSTCODE.sub(" ", text))
    if postcode:
        communes = [p for p in communes if postcode.group() in p["postcodes"]]
    if name:
        named = [p for p in communes if _normalize(p["name"]) == name]
        if named or not postcode:
            return named[0] if named else None
    return max(communes, key=lambda p: p["population"] or 0, default=None)
