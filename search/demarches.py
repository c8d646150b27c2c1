"""service-public.fr's fiches in the index: one row per fiche for the whole Pays, found on
every site (`SHARED_KINDS` in search.services) and shown there below the site's own
Démarches page (directory.demarches serves /demarches/<fiche id>/ on each site).

The row belongs to the portal's site; its path is the fiche's place below the portal's
Démarches page, and each site's result points to its own.
"""

from communes.models import DemarchePage, DemarchesIndexPage
from directory.models import Fiche, ServiceEntry
from directory.services.demarches import LISTED_ID, NOT_LISTED_KINDS, THEMES, theme_of_subject
from search.models import SearchEntry
from search.text import html_to_text
from serving.cache import cached
from serving.siteurls import every_site_root_path

MAX_BODY = 100_000
THEME_NAMES = {slug: name for slug, _id, name in THEMES}


def fiche_key(fiche_id):
    return f"fiche:{fiche_id}"


def demarches_paths():
    """{site id: path of its live, public Démarches page}, per content version."""

    def build():
        paths = {}
        root_paths = every_site_root_path()
        for page in DemarchesIndexPage.objects.live().public().only("path", "url_path", "depth"):
            page._wagtail_cached_site_root_paths = root_paths
            parts = page.get_url_parts()
            if parts:
                path = parts[2] if parts[2].endswith("/") else parts[2] + "/"
                paths.setdefault(parts[0], path)
        return paths

    return cached("search-demarches-paths", [], build)


def pinned_paths():
    """{site id: {fiche id: path of the mairie's own page for it}}, per content version: a
    site's result for a fiche its mairie handles leads straight to the mairie's page."""

    def build():
        paths = {}
        root_paths = every_site_root_path()
        pages = DemarchePage.objects.live().public().exclude(source_fiche="")
        for page in pages.only("path", "url_path", "depth", "source_fiche"):
            page._wagtail_cached_site_root_paths = root_paths
            parts = page.get_url_parts()
            if parts:
                fiche_id = page.source_fiche.strip().upper()
                paths.setdefault(parts[0], {}).setdefault(fiche_id, parts[2])
        return paths

    return cached("search-demarches-pinned", [], build)


def site_path(site_id, fiche_id):
    """Where a fiche is on a site (its mairie's page, or below its Démarches page), or ""."""
    pinned = pinned_paths().get(site_id, {}).get(fiche_id)
    if pinned:
        return pinned
    base = demarches_paths().get(site_id)
    return f"{base}{fiche_id}/" if base else ""


def is_listed(fiche):
    return (
        fiche.status == ServiceEntry.Status.ACTIVE
        and bool(LISTED_ID.match(fiche.fiche_id))
        and fiche.kind not in NOT_LISTED_KINDS
    )


def fiche_entries(fiches, context):
    """Rows for the active démarches among `fiches`; none when the Pays has no portal."""
    site_id = context.portal_site_id
    if site_id is None:
        return []
    base = demarches_paths().get(site_id, "/demarches/")
    entries = []
    for fiche in fiches:
        if not is_listed(fiche):
            continue
        theme = THEME_NAMES.get(theme_of_subject(fiche.subject), "")
        entries.append(
            SearchEntry(
                key=fiche_key(fiche.fiche_id),
                kind=SearchEntry.Kind.DEMARCHE,
                site_id=site_id,
                collectivite_id=None,
                path=f"{base}{fiche.fiche_id}/",
                title=fiche.title[:500],
                summary=(fiche.description or "")[:2000],
                body=html_to_text(fiche.body_html or "")[:MAX_BODY],
                keywords=" ".join(p for p in (theme, fiche.subject) if p)[:2000],
                date=None,
                boost=1.1,
                details={"fiche_id": fiche.fiche_id, "theme": theme},
            )
        )
    return entries


def all_fiche_ids():
    return list(
        Fiche.objects.filter(status=ServiceEntry.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
