"""Which collectivité a site is, from memory (serving.cache): the alerts' pages are views
outside the page tree, found by hostname like the search page."""

from dataclasses import dataclass

from communes.models import Collectivite
from serving.cache import PAYS, cached


@dataclass(frozen=True)
class Place:
    pk: int
    name: str
    epci_id: int | None


def place_for_site(site):
    """The collectivité whose site this is, or None (the portal, an archived site)."""
    if site is None:
        return None

    def build():
        rows = (
            Collectivite.objects.exclude(kind=Collectivite.Kind.PAYS)
            .filter(status=Collectivite.Status.PROVISIONED, site__isnull=False)
            .values_list("site_id", "pk", "name", "epci_id")
        )
        return {row[0]: Place(*row[1:]) for row in rows}

    return cached("alerts-places", [], build, scope=PAYS).get(site.pk)
