"""The "demarches" provider (communes.sections): service-public.fr's themes and fiches,
served below every site's Démarches page without a page per fiche.

/demarches/ lists the themes with their main démarches, /demarches/themes/<theme>/ every
fiche of a theme, /demarches/<fiche id>/ a fiche with « où s'adresser » resolved from the
site's commune. A démarche the mairie handles (a DemarchePage naming the fiche) takes the
fiche's place on its site. What is read from the database is kept under the content
version: a fiche view served once costs no query for it.
"""

import copy
import re

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from communes.models import Collectivite, DemarchesIndexPage
from directory.services import demarches
from directory.templatetags.directory_fiches import active_fiche
from serving.cache import cached
from serving.pages import site_for_page

SP_LINK = re.compile(r'href="https://www\.service-public\.fr/particuliers/vosdroits/([FN][0-9]+)"')


def _base(page):
    """The page's path on its own site, ending with a slash."""
    url = page.get_url(current_site=site_for_page(page)) or ""
    return url if url.endswith("/") else url + "/"


def _pinned(page):
    return {p["fiche_id"]: p for p in page.pinned() if p["fiche_id"]}


def _item(fiche, base, pinned):
    local = pinned.get(fiche["fiche_id"])
    return {
        **fiche,
        "url": local["url"] if local else f"{base}{fiche['fiche_id']}/",
        "in_mairie": local is not None,
    }


def themes(page):
    """The themes that have fiches, each with its main démarches and the link to the rest."""
    base, pinned = _base(page), _pinned(page)
    found = []
    for theme in demarches.catalogue()["themes"]:
        if not theme["fiches"]:
            continue
        shown = theme["fiches"][: demarches.SHOWN_PER_THEME]
        found.append(
            {
                "slug": theme["slug"],
                "name": theme["name"],
                "url": f"{base}themes/{theme['slug']}/",
                "count": len(theme["fiches"]),
                "fiches": [_item(fiche, base, pinned) for fiche in shown],
            }
        )
    return found


def theme_response(page, request, slug):
    theme = demarches.theme(slug)
    if theme is None:
        return None
    base, pinned = _base(page), _pinned(page)
    context = page.get_context(request)
    context.update(
        theme={**theme, "fiches": [_item(f, base, pinned) for f in theme["fiches"]]},
        demarches_url=base,
    )
    return TemplateResponse(request, "directory/demarches_theme.html", context)


def fiche_response(page, request, fiche_id):
    local = _pinned(page).get(fiche_id)
    if local is not None:
        return HttpResponseRedirect(local["url"])
    fiche = active_fiche(fiche_id)
    if fiche is None:
        return None
    base = _base(page)
    slug = demarches.catalogue()["theme_of"].get(fiche_id, "")
    theme = demarches.theme(slug) if slug else None
    shown = copy.copy(fiche)
    shown.body_html = local_links(fiche, base)
    context = page.get_context(request)
    context.update(
        fiche=shown,
        theme={"name": theme["name"], "url": f"{base}themes/{slug}/"} if theme else None,
        demarches_url=base,
        on_portal=getattr(site_for_page(page), "is_default_site", False),
        canonical_url=(portal_base() or request.build_absolute_uri(base)) + f"{fiche_id}/",
    )
    return TemplateResponse(request, "directory/demarche_fiche.html", context)


def local_links(fiche, base):
    """The fiche's body with its links to other listed fiches kept on this site."""

    def build():
        listed = demarches.catalogue()["theme_of"]

        def replace(match):
            if match.group(1) in listed:
                return f'href="{base}{match.group(1)}/"'
            return match.group(0)

        return SP_LINK.sub(replace, fiche.body_html or "")

    return cached("fiche-local-body", [fiche.pk, base], build, shared=False)


def portal_base():
    """Absolute URL of the portal's Démarches page (where search engines are pointed), or
    "" when the portal has none."""

    def build():
        pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).first()
        if pays is None or pays.home_page_id is None:
            return ""
        page = DemarchesIndexPage.objects.live().public().child_of(pays.home_page).first()
        url = page.full_url if page else ""
        return url if not url or url.endswith("/") else url + "/"

    return cached("demarches-portal", [], build)
