"""The Content-Security-Policy of each response: the public one, or the admin's.

django-csp builds the header from settings.CONTENT_SECURITY_POLICY (the public pages'
policy). Two things it cannot know from a fixed dict:

- The Wagtail admin needs a looser policy (its inline scripts, its style attributes), given
  in settings.ADMIN_CONTENT_SECURITY_POLICY and chosen here by path, so that a view added
  under /admin/ by any app is covered without decorating it.
- The hosts the pages load images from are read from other settings when the response is
  made, not copied when the settings are imported: the map's tile server
  (DIRECTORY_TILE_URL), and the media and static files when they are served from another
  host. Changing one of those settings changes the policy with it.

A view may still decide for itself with django-csp's decorators (`csp_override`,
`csp_update`, `csp_exempt`); its choice wins.

Only what a browser renders as a page gets a policy. On a PDF (the mairies' bulletins and
minutes, served by Wagtail) the page policy would break Chrome's viewer, which draws the
PDF with an <embed> and inline styles (crbug.com/271452), and it would guard nothing.
"""

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def origin_of(url):
    """The scheme://host[:port] a URL loads from, as CSP writes a source; None when the URL
    is relative (then 'self' covers it). Leaflet's `{s}` subdomain becomes a wildcard."""
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    netloc = parts.netloc.rsplit("@", 1)[-1].replace("{s}", "*")
    # Without a scheme ("//host/"), CSP matches the page's own scheme, as the URL does.
    return f"{parts.scheme}://{netloc}" if parts.scheme else netloc


def _origins(*urls):
    return [origin for origin in dict.fromkeys(map(origin_of, urls)) if origin]


def admin_prefix():
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


def is_admin_path(path):
    prefix = admin_prefix()
    return prefix is not None and path.startswith(prefix)


# Documents that run scripts or styles when a browser opens them.
RENDERED_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and content_type not in RENDERED_TYPES:
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        admin = is_admin_path(request.path)
        policy = settings.CONTENT_SECURITY_POLICY
        if admin:
            policy = settings.ADMIN_CONTENT_SECURITY_POLICY
        config = default_config(policy["DIRECTIVES"])
        static = _origins(settings.STATIC_URL)
        extra = {
            # The tiles in the admin too: its preview of a directory page shows the map.
            "img-src": _origins(
                settings.MEDIA_URL, settings.STATIC_URL, settings.DIRECTORY_TILE_URL
            ),
            "script-src": static,
            "style-src": static,
            "font-src": static,
        }
        for directive, sources in extra.items():
            if sources:
                # A directive the policy leaves out falls back to default-src: keep its sources.
                current = config.get(directive) or config.get("default-src") or []
                config[directive] = [*current, *sources]
        parts.config = config
        return parts
