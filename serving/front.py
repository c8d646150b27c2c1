"""nginx in front of gunicorn: its configuration, rendered from the Django settings.

The shipped templates (config/nginx/*.template) hold nginx's rules; what they must agree on
with Django comes from the settings here, so that a page answered from the baked files
carries the headers Django would have sent for it (docs/serving.md#serving-the-files):

- the security headers, made by the middlewares of settings.MIDDLEWARE that make them on
  Django's responses (SecurityMiddleware, the Content-Security-Policy middleware of
  config.security_headers, X-Frame-Options) for a public page of no particular site;
- the cookies that make a request personal (the session's, BAKED_BYPASS_COOKIES);
- whether plain HTTP is redirected (SECURE_SSL_REDIRECT): then only HTTPS requests may be
  answered from the files, and Django redirects the others;
- the languages, for Content-Language.

The deployment's own values (where to listen, the upstream, the directories) are passed in.
`${NAME}` in a template is one of ours (upper case); `$name` and `${name}` are nginx's.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from serving import baking, cdn

TEMPLATES_DIR = Path(settings.BASE_DIR) / "config" / "nginx"
TEMPLATES = ("nginx.conf", "bastide.conf")
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
COOKIE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
# Headers of a response that say what it is, not how it may be used.
NOT_SECURITY = {"content-type", "content-length", "vary"}


@dataclass(frozen=True)
class Deployment:
    """Where nginx runs and what it serves: paths as nginx sees them."""

    listen: str  # "8080", "127.0.0.1:8080"
    upstream: str  # gunicorn, "web:8000"
    baked_root: str
    static_root: str
    media_root: str
    run_dir: str  # pid file and temporary files
    conf_dir: str  # where the rendered files are read by nginx
    error_log: str = "stderr"
    access_log: str = "/dev/stdout"
    user: str = ""  # the workers' user when the master runs as root
    resolver: str = ""  # a DNS server, when the upstream is a name (Docker's: 127.0.0.11)
    modules: str = "/usr/lib/nginx/modules"
    mime_types: str = "/etc/nginx/mime.types"


def _not_called(request):
    raise AssertionError("only the middlewares' process_response runs here")


def _public_response(secure):
    """A public page's response after the middlewares of settings.MIDDLEWARE that add
    security headers to it, in the order they run on a response."""
    from csp.middleware import CSPMiddleware
    from django.middleware.clickjacking import XFrameOptionsMiddleware
    from django.middleware.security import SecurityMiddleware
    from django.utils.module_loading import import_string

    request = RequestFactory().get("/", secure=secure)
    response = HttpResponse("", content_type="text/html; charset=utf-8")
    headers_makers = (CSPMiddleware, SecurityMiddleware, XFrameOptionsMiddleware)
    for path in reversed(settings.MIDDLEWARE):
        middleware = import_string(path)
        if isinstance(middleware, type) and issubclass(middleware, headers_makers):
            response = middleware(_not_called).process_response(request, response)
    return response


def page_headers():
    """The security headers Django sends on a public page, HTTPS-only ones apart:
    ({name: value} always sent, {name: value} sent over HTTPS only)."""
    from csp.constants import NONCE

    directives = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {})
    if any(NONCE in (sources or []) for sources in directives.values()):
        raise ImproperlyConfigured(
            "The public Content-Security-Policy asks for a nonce: a baked page cannot carry "
            "one per request. Public pages must run no inline script or style."
        )
    plain = _security_headers(_public_response(secure=False))
    secure = _security_headers(_public_response(secure=True))
    return plain, {name: value for name, value in secure.items() if name not in plain}


def _security_headers(response):
    return {
        name: value for name, value in response.headers.items() if name.lower() not in NOT_SECURITY
    }


def bypass_cookies():
    names = baking.bypass_cookies()
    for name in names:
        if not COOKIE_NAME.match(name):
            raise ImproperlyConfigured(f"nginx cannot read a cookie named {name!r}.")
    return names


def _quote(value):
    if any(char in value for char in '"\\\n\r'):
        raise ImproperlyConfigured(f"Header value not writable in nginx's configuration: {value!r}")
    return f'"{value}"'


def _add_headers(headers, indent="        "):
    return "\n".join(f"{indent}add_header {name} {_quote(value)};" for name, value in headers)


def values(deployment):
    """What fills the templates' ${NAMES}."""
    plain, https_only = page_headers()
    unknown = set(https_only) - {"Strict-Transport-Security"}
    if unknown:
        raise ImproperlyConfigured(f"HTTPS-only headers nginx does not know: {sorted(unknown)}")
    # On static and media files, what whitenoise's responses get from SecurityMiddleware.
    page_only = {"Content-Security-Policy", "X-Frame-Options"}
    common = [(name, value) for name, value in plain.items() if name not in page_only]
    hsts = [("Strict-Transport-Security", "$bastide_hsts")]
    page = [
        *plain.items(),
        ("Content-Language", "$bastide_language"),
        ("Vary", "Accept-Encoding"),
        ("Cache-Control", "no-cache"),
        *cdn.cache_headers().items(),
    ]
    cookies = bypass_cookies()
    fields = ["$request_method", "$args", *(f"$cookie_{name}" for name in cookies)]
    wanted = ["", *("" for _name in cookies)]  # no query string, none of those cookies
    if settings.SECURE_SSL_REDIRECT:
        fields.append("$bastide_proto")
        wanted.append("https")
    allowed = [":".join([method, *wanted]) for method in ("GET", "HEAD")]
    prefixes = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    languages = [f'    "~^/{code}/" {code};' for code in prefixes]
    languages.append(f"    default {settings.LANGUAGE_CODE};")
    return {
        "NGINX_MODULES": deployment.modules,
        "NGINX_USER_LINE": f"user {deployment.user};" if deployment.user else "",
        "RUN_DIR": deployment.run_dir,
        "CONF_DIR": deployment.conf_dir,
        "ERROR_LOG": deployment.error_log,
        "ACCESS_LOG": deployment.access_log,
        "MIME_TYPES": deployment.mime_types,
        "UPSTREAM": deployment.upstream,
        "RESOLVER_LINE": (
            f"        resolver {deployment.resolver} valid=10s ipv6=off;"
            if deployment.resolver
            else ""
        ),
        "LISTEN": deployment.listen,
        "BAKED_ROOT": deployment.baked_root,
        "STATIC_ROOT": deployment.static_root.rstrip("/"),
        "MEDIA_ROOT": deployment.media_root.rstrip("/"),
        "HSTS": https_only.get("Strict-Transport-Security", ""),
        "BAKED_KEY": ":".join(fields),
        "BAKED_ALLOWED": "\n".join(f'    "{entry}" 1;' for entry in allowed),
        "LANGUAGE_MAP": "\n".join(languages),
        "PAGE_HEADERS": _add_headers([*page, *hsts]),
        "COMMON_HEADERS": _add_headers([*common, *hsts]),
    }


def fill(template, names):
    def replace(match):
        if match.group(1) not in names:
            raise ImproperlyConfigured(f"Unknown placeholder ${{{match.group(1)}}}")
        return names[match.group(1)]

    return PLACEHOLDER.sub(replace, template)


def render(deployment, directory):
    """Write nginx.conf and bastide.conf into `directory`; return nginx.conf's path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    names = values(deployment)
    for name in TEMPLATES:
        template = (TEMPLATES_DIR / f"{name}.template").read_text()
        (directory / name).write_text(fill(template, names))
    return directory / "nginx.conf"
