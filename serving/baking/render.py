"""One URL of a site rendered in-process through Django's full handler, as an anonymous
visitor's browser would get it, and whether every visitor would get the same."""

import io
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from serving.baking import extra_paths, layout

# Routes of routable pages that are feeds a visitor's reader fetches: baked with the page.
FEED_ROUTES = ("rss", "ical")
# Optional paths of every site: baked when they answer 200, left out silently otherwise.
OPTIONAL_PATHS = ("/sitemap.xml", "/robots.txt")
HEADERS_KEPT = (
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "X-Content-Type-Options",
    "Permissions-Policy",
    "Strict-Transport-Security",
)


class Renderer:
    """Renders the URLs of one host (a handler with its middleware loaded, one per process)."""

    _handler = None

    def __init__(self, host):
        if Renderer._handler is None:
            Renderer._handler = WSGIHandler()
        self.host = host
        port = settings.SITE_PORT
        self.scheme = "https" if port == 443 else "http"  # noqa: PLR2004
        self.port = port
        self.http_host = host if port in (80, 443) else f"{host}:{port}"  # noqa: PLR2004

    def environ(self, path):
        raw = path.encode("utf-8").decode("latin-1")  # WSGI: PATH_INFO is bytes as latin-1
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": raw,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": self.host,
            "SERVER_PORT": str(self.port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.http_host,
            "HTTP_X_FORWARDED_PROTO": self.scheme,
            "HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    def render(self, path):
        """(response, None) when the response can be baked, else (None, why in French)."""
        request = WSGIRequest(self.environ(path))
        response = self._handler.get_response(request)
        with translation.override("fr"):
            why = refusal(request, response)
        if why:
            return None, why
        return response, None

    def page_request(self):
        """A bare request for the pages' URL methods (get_sitemap_urls)."""
        request = HttpRequest()
        request.META.update(self.environ("/"))
        request.path = request.path_info = "/"
        return request


def refusal(request, response):
    """Why this response is not the same for every anonymous visitor, or None."""
    if response.status_code != 200:  # noqa: PLR2004
        return _("réponse %(status)s") % {"status": response.status_code}
    if response.streaming:
        return _("réponse en flux")
    # The CSRF middleware clears CSRF_COOKIE_NEEDS_UPDATE once it has set the cookie.
    if (
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE_USED")
        or settings.CSRF_COOKIE_NAME in response.cookies
    ):
        return _("formulaire (jeton CSRF)")
    if response.cookies or response.has_header("Set-Cookie"):
        return _("dépose un cookie")
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return _("réponse privée (Cache-Control)")
    return None


def path_of(url):
    return unquote(urlsplit(url).path) or "/"


def page_paths(site, renderer):
    """The URL paths of the live, public pages of `site` (every locale), with their feeds."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import Page

    from serving.sitemaps import other_sites_below

    request = renderer.page_request()
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    paths = {}
    for root in roots:
        pages = (
            Page.objects.descendant_of(root, inclusive=True)
            .exclude(other_sites_below(root))
            .live()
            .public()
            .defer_streamfields()
            .specific()
            .order_by("path")
        )
        for page in pages:
            for entry in page.get_sitemap_urls(request):
                paths.setdefault(path_of(entry["location"]), page)
            if isinstance(page, RoutablePageMixin):
                base = page.get_url(request)
                if not base:
                    continue
                for name in FEED_ROUTES:
                    try:
                        sub = page.reverse_subpage(name)
                    except Exception:  # noqa: BLE001, S112 - the route is not on this page
                        continue
                    paths.setdefault(path_of(base) + sub, page)
    return paths


def has_own_view(path):
    """Whether a view other than the pages' catch-all answers `path`."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"


def all_paths(site, renderer):
    """{path: page or None}: the pages' URLs, the optional files, the registered extras."""
    paths = page_paths(site, renderer)
    for path in OPTIONAL_PATHS:
        if has_own_view(path):
            paths.setdefault(path, None)
    for path in extra_paths(site):
        paths.setdefault(path, None)
    return paths


def common_headers(responses_headers):
    """The kept headers whose value is the same on every baked response."""
    common = None
    for headers in responses_headers:
        mine = {name: headers[name] for name in HEADERS_KEPT if name in headers}
        common = mine if common is None else {k: v for k, v in common.items() if mine.get(k) == v}
    return common or {}


def file_for(path, response):
    return layout.file_for(path, response.get("Content-Type", "text/html"))
