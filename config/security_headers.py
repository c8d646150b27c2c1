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

from dataclasses import asdict
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
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


# The two headers of a response that neither a view nor a nonce changed, by admin or not:
# the same on every such response while the settings they are made of stay the same.
# Building them is a deep copy and a join of every directive, a tenth of a light page view.
_standard_policies = {}
POLICY_SETTINGS = (
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "ADMIN_CONTENT_SECURITY_POLICY",
    "STATIC_URL",
    "MEDIA_URL",
    "DIRECTORY_TILE_URL",
)
_RESPONSE_CHOICES = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


def _policy_settings():
    return tuple(getattr(settings, name, None) for name in POLICY_SETTINGS)


def _same(kept, now):
    """The settings the headers were made of are still these (the same objects, or equal:
    override_settings in tests puts new ones)."""
    return all(a is b or a == b for a, b in zip(kept, now, strict=True))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type and content_type not in RENDERED_TYPES:
            return response
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _RESPONSE_CHOICES
        ):
            return super().process_response(request, response)  # the view's or the nonce's own
        if settings.DEBUG and response.status_code in (404, 500):  # noqa: PLR2004
            return super().process_response(request, response)  # django-csp leaves it bare
        headers = self._standard_headers(request, response)
        pairs = zip((HEADER, HEADER_REPORT_ONLY), headers, self._excluded(), strict=True)
        for name, value, excluded in pairs:
            if value and name not in response and not request.path_info.startswith(excluded):
                response[name] = value
        # As django-csp: a nonce asked for after the header is written is an error.
        return self._sealed(request, response)

    def _standard_headers(self, request, response):
        admin = is_admin_path(request.path)
        made_of = _policy_settings()
        kept = _standard_policies.get(admin)
        headers = kept[1] if kept is not None and _same(kept[0], made_of) else None
        if headers is None:
            parts = self.get_policy_parts(request, response)
            report_only = self.get_policy_parts(request, response, report_only=True)
            headers = (
                build_policy(**asdict(parts)),
                build_policy(**asdict(report_only), report_only=True),
            )
            _standard_policies[admin] = (made_of, headers)
        return headers

    @staticmethod
    def _excluded():
        return tuple(
            tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )

    def _sealed(self, request, response):
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

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
