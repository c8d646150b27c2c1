"""Links within the Pays' own sites, checked without a single HTTP request.

A page, document or image chosen by id must still exist (and a page be published); an
address on one of our hostnames (or a path, on the page's own site) must lead somewhere: it
is resolved as a request would be — Django's URLs, then Wagtail's route from the site's root
in the address's language, routable pages' sub-routes included.
"""

import urllib.parse

from django.conf import settings
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation
from wagtail.models import Page, Site

from communes.models import SiteDocument

# Served by the web server or whitenoise, not by Django's URLs in production.
UNROUTED_PREFIXES = ("/static/", "/media/")


def site_hosts() -> dict[str, Site]:
    """Our sites by hostname (lowercased)."""
    return {site.hostname.lower(): site for site in Site.objects.select_related("root_page")}


def split(url, own_site, hosts):
    """("skip" | "internal" | "external", site, normalised url) for a link's address."""
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return "skip", None, url  # mailto:, tel:, and nothing else is followed
    if not scheme and not parts.netloc:
        if not parts.path.startswith("/"):
            return "skip", None, url  # an anchor (#top) or a query on the same page
        # Reported as the address a visitor's browser asks for: a link in the digest's email.
        return "internal", own_site, own_site.root_url + url
    hostname = (parts.hostname or "").lower()
    if hostname in hosts:
        return "internal", hosts[hostname], url
    if not hostname:
        return "skip", None, url
    return "external", None, urllib.parse.urlunsplit(parts._replace(fragment=""))


def path_problem(site, url) -> str:
    """ "" when the address leads somewhere on `site`, else why not (French, for the report)."""
    path = urllib.parse.urlsplit(url).path or "/"
    if path.startswith(UNROUTED_PREFIXES):
        return ""
    language = settings.LANGUAGE_CODE
    first = path.strip("/").split("/", 1)[0]
    if first in {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}:
        language = first
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return "adresse inconnue"
        if match.url_name == "wagtail_serve":
            page_path = match.args[0] if match.args else match.kwargs.get("path", "")
            return "" if _route(site, path, page_path) else "page introuvable"
        document_id = match.kwargs.get("document_id")
        if document_id is not None and not SiteDocument.objects.filter(pk=document_id).exists():
            return "document supprimé"
    return ""


def _route(site, full_path, path) -> bool:
    request = RequestFactory().get(full_path, HTTP_HOST=site.hostname)
    components = [component for component in path.split("/") if component]
    roots = [site.root_page.localized.specific]
    if roots[0].pk != site.root_page_id:
        roots.append(site.root_page.specific)  # /en/… of a page not translated: French page
    for root in roots:
        try:
            root.route(request, components)
        except Http404:
            continue
        return True
    return False


def page_states(ids) -> dict[int, bool]:
    """{page id: live} for the pages that still exist."""
    return dict(Page.objects.filter(pk__in=ids).values_list("pk", "live"))


def existing_documents(ids) -> set[int]:
    return set(SiteDocument.objects.filter(pk__in=ids).values_list("pk", flat=True))
