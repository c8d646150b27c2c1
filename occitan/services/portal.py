"""Where the section lives: its index page on the portal, and the addresses of its entries
and expressions there (`/occitan/mot/<slug>/`, `/occitan/expressions/<slug>/`).

The index is the live page of type occitan.OccitanIndexPage; until one exists (or while that
page type is not installed), the section is taken to be at the portal's /occitan/.
"""

from dataclasses import dataclass

from django.apps import apps

from serving.cache import cached
from serving.pages import default_site

INDEX_MODEL = ("occitan", "OccitanIndexPage")
DEFAULT_PATH = "/occitan/"


@dataclass(frozen=True)
class Location:
    site_id: int | None
    root_url: str  # the portal's, "https://pays.example.org", "" without a portal
    path: str  # the index's path on that site, "/occitan/"

    def entry_path(self, slug):
        return f"{self.path}mot/{slug}/"

    def expression_path(self, slug):
        return f"{self.path}expressions/{slug}/"

    def absolute(self, path):
        return self.root_url + path


def _index_parts():
    try:
        model = apps.get_model(*INDEX_MODEL)
    except LookupError:
        return None
    for page in model.objects.live().public().order_by("path").only("path", "url_path", "depth"):
        parts = page.get_url_parts()
        if parts:
            return parts
    return None


def _build():
    parts = _index_parts()
    if parts is not None:
        site_id, root_url, path = parts
        return Location(site_id, root_url or "", path if path.endswith("/") else path + "/")
    portal = default_site()
    if portal is None:
        return Location(None, "", DEFAULT_PATH)
    return Location(portal.pk, portal.root_url, DEFAULT_PATH)


def location():
    """The section's place on the portal, per content version."""
    return cached("occitan-location", [], _build)
