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
from django.db import connections, router
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


_ROOTS_AT_SQL = """
SELECT page.path, root.url_path, site.id, site.hostname, page.url_path, locale.language_code
FROM {page} page
JOIN {page} root ON {match}
JOIN {site} site ON site.root_page_id = root.id
JOIN {locale} locale ON locale.id = page.locale_id
WHERE page.path IN ({paths})
ORDER BY root.url_path DESC, site.is_default_site DESC, site.hostname, page.path
"""

# Tree paths known to be a site root or not, per process, before the memo starts again.
ROOTS_MEMO_MAX = 50_000


class SiteRoots:
    """Wagtail's site root paths, found for each page from its ancestors: a page's sites are
    those rooted at one of its ancestors (or itself), looked up by tree path, the table's
    own index. A process holds what the pages it built URLs for needed, not a list of every
    site (35,000 of them for France), and asks the database once for each page it meets
    first. Anything that iterates over the whole list, as some of Wagtail's code does, gets
    it (`every_site_root_path()` below), read once."""

    def __init__(self):
        self._roots = {}  # tree path -> ((the site's root url_path, SiteRootPath), ...)
        self._all = None
        self._site_count = None

    def for_page(self, page):
        """What Wagtail's scan of every root path answers for `page`, in the same order."""
        paths = _ancestor_paths(page)
        self._read(self._missing(paths))
        found = [entry for path in paths for entry in self._roots[path]]
        # Most specific first, as Wagtail orders them (by each site's own root url_path).
        found.sort(key=itemgetter(0), reverse=True)
        return tuple(path for _, path in found)

    def prefetch(self, pages):
        """Read at once what `for_page` will need for each of `pages` (a menu, a listing):
        a query per 500 tree paths, where each page met first would cost one."""
        wanted = sorted({path for page in pages for path in _ancestor_paths(page)})
        missing = self._missing(wanted)
        for start in range(0, len(missing), 500):
            self._read(missing[start : start + 500])

    def _missing(self, paths):
        """Those of `paths` not known yet; all of them when the memo is full and starts
        again."""
        missing = [path for path in paths if path not in self._roots]
        if missing and len(self._roots) + len(missing) > ROOTS_MEMO_MAX:
            self._roots = {}
            return list(paths)
        return missing

    def _read(self, paths):
        if not paths:
            return
        sql = _ROOTS_AT_SQL.format(
            page=Page._meta.db_table,
            site=Site._meta.db_table,
            locale=Locale._meta.db_table,
            match=_root_match(),
            paths=", ".join(["%s"] * len(paths)),
        )
        with connections[router.db_for_read(Page)].cursor() as cursor:
            cursor.execute(sql, paths)
            rows = cursor.fetchall()
        found = defaultdict(list)
        for path, site_root, site_id, hostname, url_path, language_code in rows:
            entry = SiteRootPath(site_id, url_path, root_url(hostname), language_code)
            found[path].append((site_root, entry))
        for path in paths:
            self._roots[path] = tuple(found.get(path, ()))

    @property
    def site_count(self):
        """1, or 2 for more than one: all Wagtail's get_url needs to know."""
        if self._site_count is None:
            self._site_count = len(Site.objects.order_by().values_list("pk", flat=True)[:2])
        return self._site_count

    def _every(self):
        if self._all is None:
            self._all = every_site_root_path()
        return self._all

    def __iter__(self):
        return iter(self._every())

    def __len__(self):
        return len(self._every())

    def __getitem__(self, index):
        return self._every()[index]


def _ancestor_paths(page):
    """The tree paths of a page's ancestors and its own, from the root down."""
    step = Page.steplen
    return [page.path[:end] for end in range(step, len(page.path) + 1, step)]


def _root_match():
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return "page.translation_key = root.translation_key"
    return "page.id = root.id"


_ROOT_PATHS_SQL = """
SELECT site.id, site.hostname, site.is_default_site, root.url_path, page.url_path,
       locale.language_code
FROM {site} site
JOIN {page} root ON root.id = site.root_page_id
JOIN {page} page ON {match}
JOIN {locale} locale ON locale.id = page.locale_id
ORDER BY root.url_path DESC, site.is_default_site DESC, site.hostname, page.path
"""


def every_site_root_path():
    """Wagtail's `Site.get_site_root_paths()`, the same list in the same order, in one query
    instead of one per site: Wagtail asks each site's home page for its translations in turn,
    and after every publish the next URL built paid ~160 queries for it."""
    # Kept with the port its URLs were built for: a server restarted on another port, with
    # a cache that outlived it (Redis), must not link to the old one.
    port = served_port()
    cached = cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)
    if isinstance(cached, tuple) and cached[0] == port:
        return RootPaths(cached[1])
    sql = _ROOT_PATHS_SQL.format(
        site=Site._meta.db_table,
        page=Page._meta.db_table,
        locale=Locale._meta.db_table,
        match=_root_match(),
    )
    with connections[router.db_for_read(Page)].cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    paths = [
        SiteRootPath(site_id, url_path, root_url(hostname), language_code)
        for site_id, hostname, _default, _root, url_path, language_code in rows
    ]
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, (port, paths), 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    return RootPaths(paths)


# Wagtail's own, called for root paths that are neither of the two kinds above.
_wagtail_relevant_site_root_paths = Page._get_relevant_site_root_paths
_wagtail_get_url = Page.get_url


def _relevant_site_root_paths(page, cache_object=None):
    """The sites a page belongs to, found from its ancestors rather than by comparing its
    url_path with every site's root path (Wagtail's way)."""
    paths = page._get_site_root_paths(cache_object)
    if isinstance(paths, SiteRoots):
        return paths.for_page(page)
    if isinstance(paths, RootPaths):
        return paths.for_url_path(page.url_path)
    return _wagtail_relevant_site_root_paths(page, cache_object)


def _get_url(page, request=None, current_site=None):
    """Wagtail's `Page.get_url`, without counting the sites of every root path on each URL
    built."""
    paths = page._get_site_root_paths(request)
    if not isinstance(paths, RootPaths | SiteRoots) or paths.site_count == 1:
        return _wagtail_get_url(page, request=request, current_site=current_site)
    if current_site is None and request is not None:
        current_site = Site.find_for_request(request)
    url_parts = page.get_url_parts(request=request)
    if url_parts is None or url_parts[1] is None and url_parts[2] is None:
        return None
    site_id, root_url, page_path = url_parts
    if current_site is not None and site_id == current_site.id:
        return page_path
    return root_url + page_path


def _process_site_roots():
    from serving.pages import site_root_paths as process_site_roots

    return process_site_roots()


def install():
    """Replace Wagtail's `Site.root_url` (a property of the model) by the served one,
    `Site.get_site_root_paths` by this process' `SiteRoots` (Wagtail asks it for each page
    it builds a URL of without a request, and used to unpickle every site's root path each
    time), and what `Page` does with root paths by lookups: on every page, the generic ones
    (`Page.objects…`) included. Code that builds the URLs of pages of every site at once
    (the search index, the démarches) takes the whole list, `every_site_root_path()`."""
    Site.root_url = property(_served_root_url)
    Site.get_site_root_paths = staticmethod(_process_site_roots)
    Page._get_relevant_site_root_paths = _relevant_site_root_paths
    Page.get_url = _get_url
    Page.url = property(_get_url)
