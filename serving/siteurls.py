"""The sites' URLs follow the port Bastide is served on, read when serving.

Wagtail builds every URL between sites from `Site.root_url`, which it derives from the port
stored in each Site record: a demo provisioned on :8000 and then served on :8123 would still
link to :8000 until every site was provisioned again. Here `Site.root_url` reads the port
from `settings.SITE_PORT` instead (80: http, 443: https, any other: http with the port), so
serving on another port is one environment variable (`make demo PORT=8123` sets it). The
stored port still matters for one thing only: Wagtail's matching of a request to a site,
which falls back on the hostname alone when the port differs.

In development without `SITE_PORT` in the environment (`manage.py runserver 8123`), the dev
settings add `RequestPortMiddleware`: links follow the port of the request being served.
"""

from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page, Site
from wagtail.models.sites import (
    SITE_ROOT_PATHS_CACHE_KEY,
    SITE_ROOT_PATHS_CACHE_VERSION,
    SiteRootPath,
)

from serving.cache import request_port, served_port

# Wagtail's own, kept for the test that compares the two.
wagtail_site_root_paths = Site.__dict__["get_site_root_paths"].__func__


class RequestPortMiddleware:
    """Development only: URLs between sites use the port this request came on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            port = int(request.get_port())
        except (TypeError, ValueError):
            port = None
        token = request_port.set(port)
        try:
            return self.get_response(request)
        finally:
            request_port.reset(token)


def root_url(hostname, port=None):
    port = served_port() if port is None else port
    if port == 80:
        return f"http://{hostname}"
    if port == 443:
        return f"https://{hostname}"
    return f"http://{hostname}:{port}"


def _served_root_url(site):
    return root_url(site.hostname)


def site_root_paths():
    """Wagtail's `Site.get_site_root_paths()`, the same list in the same order, in two
    queries instead of one per site: Wagtail asks each site's home page for its translations
    in turn, and after every publish the next URL built paid ~160 queries for it."""
    # Kept with the port its URLs were built for: a server restarted on another port, with
    # a cache that outlived it (Redis), must not link to the old one.
    port = served_port()
    cached = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    if isinstance(cached, tuple) and cached[0] == port:
        return cached[1]
    sites = list(
        Site.objects.select_related("root_page", "root_page__locale").order_by(
            "-root_page__url_path", "-is_default_site", "hostname"
        )
    )
    translations = defaultdict(list)
    keys = {site.root_page.translation_key for site in sites}
    for page in (
        Page.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .only("path", "url_path", "translation_key", "locale__language_code")
        .order_by("path")
    ):
        translations[page.translation_key].append(page)
    paths = []
    for site in sites:
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            roots = translations[site.root_page.translation_key]
        else:
            roots = [site.root_page]
        paths.extend(
            SiteRootPath(site.id, root.url_path, site.root_url, root.locale.language_code)
            for root in roots
        )
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, (port, paths), 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    return paths


def install():
    """Replace Wagtail's `Site.root_url` (a property of the model) by the served one, and
    `Site.get_site_root_paths` by the one above."""
    Site.root_url = property(_served_root_url)
    Site.get_site_root_paths = staticmethod(site_root_paths)
