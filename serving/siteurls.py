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
from operator import itemgetter

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from wagtail.models import Locale, Page, Site
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


class RootPaths(list):
    """Wagtail's list of site root paths, with what serving.pages needs to find a page's
    sites by looking up each of its ancestors' url_paths (a handful) instead of scanning
    every site: the communes' sites all sit under the portal's « communes » page, so that
    no shorter key (such as a first segment) tells them apart."""

    def __init__(self, paths):
        super().__init__(paths)
        self.site_count = len({path.site_id for path in paths})
        by_root = defaultdict(list)
        for position, path in enumerate(paths):
            by_root[path.root_path].append((position, path))
        self.by_root = dict(by_root)

    def for_url_path(self, url_path):
        """The root paths a page at `url_path` is under, in the list's order: those equal
        to one of its prefixes ending in "/" (Wagtail's url_paths all end in "/")."""
        found = []
        end = url_path.find("/")
        while end != -1:
            found.extend(self.by_root.get(url_path[: end + 1], ()))
            end = url_path.find("/", end + 1)
        if len(found) > 1:
            found.sort(key=itemgetter(0))
        return tuple(path for _, path in found)


_ROOT_PATHS_SQL = """
SELECT site.id, site.hostname, site.is_default_site, root.url_path, page.url_path,
       locale.language_code
FROM {site} site
JOIN {page} root ON root.id = site.root_page_id
JOIN {page} page ON {match}
JOIN {locale} locale ON locale.id = page.locale_id
ORDER BY root.url_path DESC, site.is_default_site DESC, site.hostname, page.path
"""


def site_root_paths():
    """Wagtail's `Site.get_site_root_paths()`, the same list in the same order, in one query
    instead of one per site: Wagtail asks each site's home page for its translations in turn,
    and after every publish the next URL built paid ~160 queries for it."""
    # Kept with the port its URLs were built for: a server restarted on another port, with
    # a cache that outlived it (Redis), must not link to the old one.
    port = served_port()
    cached = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    if isinstance(cached, tuple) and cached[0] == port:
        return RootPaths(cached[1])
    i18n = getattr(settings, "WAGTAIL_I18N_ENABLED", False)
    sql = _ROOT_PATHS_SQL.format(
        site=Site._meta.db_table,
        page=Page._meta.db_table,
        locale=Locale._meta.db_table,
        match="page.translation_key = root.translation_key" if i18n else "page.id = root.id",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    paths = [
        SiteRootPath(site_id, url_path, root_url(hostname), language_code)
        for site_id, hostname, _default, _root, url_path, language_code in rows
    ]
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, (port, paths), 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    return RootPaths(paths)


def install():
    """Replace Wagtail's `Site.root_url` (a property of the model) by the served one, and
    `Site.get_site_root_paths` by the one above."""
    Site.root_url = property(_served_root_url)
    Site.get_site_root_paths = staticmethod(site_root_paths)
