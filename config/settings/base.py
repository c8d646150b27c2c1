"""Settings shared by every environment. Everything that varies is read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")

# The Pays portal answers on PAYS_DOMAIN; every collectivité on <slug>.PAYS_DOMAIN.
PAYS_DOMAIN = os.environ.get("PAYS_DOMAIN", "localhost").strip().lower()
# Port written into Wagtail Sites, so links between sites carry it (8000 for the demo server).
SITE_PORT = int(os.environ.get("SITE_PORT", "80"))

# Bastide answers on exactly the hostnames of the provisioned sites (read from the Site
# table, cached), plus any fixed extra names: an unknown hostname is a 400, never the default
# site. The Site table is not known here: communes.hosts.ProvisionedHostsMiddleware, first
# after the health probes, checks the hostname in Django's stead.
ALLOWED_HOSTS = ["*"]
ALLOWED_HOSTS_EXTRA = [
    host.strip() for host in os.environ.get("ALLOWED_HOSTS_EXTRA", "").split(",") if host.strip()
]

INSTALLED_APPS = [
    "serving",
    "accounts",
    "communes",
    "directory",
    "newcomers",
    "occitan",
    "photos",
    "search",
    "sitefactory",
    "themes",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # --- Staff accounts: login lockout and two-factor authentication
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # --- Resilience: /healthz and /readyz answer on any host, before host validation.
    "health.probes.ProbeMiddleware",
    # --- Hostnames: exactly those of the provisioned sites (ALLOWED_HOSTS above).
    "communes.hosts.ProvisionedHostsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "serving.cache.ContentVersionMiddleware",
    "serving.replica.ReplicaReadsMiddleware",  # only with a read replica (DATABASE_REPLICA_URL)
    "sitefactory.middleware.ArchivedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # --- Staff accounts: who has passed the second factor, and the admin asks the others for it
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "communes.admin_guard.AdminTenancyGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # --- Staff accounts: last, so that it turns a lockout into its page whatever view answered
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# DATABASES: SQLite, PostgreSQL, and a read replica for visitors (config/settings/databases.py).
from .databases import *  # noqa: E402, F403

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # --- Resilience: a Redis outage slows pages down, never takes them down (health.cache).
    CACHES = {
        "default": {
            "BACKEND": "health.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bastide"),
            "TIMEOUT": 300,
            # Counters that must keep counting in each process while Redis is away.
            "LOCAL_FALLBACK_PREFIXES": ["rate:"],  # serving.rate_limit
        }
    }
else:
    # Room for every version and fragment: at Django's 300 entries, a bake evicted its versions.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 100_000}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # accounts: every account here can publish on a commune's site.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.password_validation.CollectiviteNameValidator"},
]

# --- Languages ------------------------------------------------------------------------------------
# French is the default (no URL prefix); English under /en/, Occitan under /oc/.
# Django ships no Occitan: declare it, and ship a compiled catalogue in locale/oc/ so that
# check_for_language("oc") holds and /oc/ URLs resolve.
LANG_INFO.setdefault(
    "oc", {"bidi": False, "code": "oc", "name": "Occitan", "name_local": "occitan"}
)
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English")), ("oc", _("Occitan"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True

# Machine suggestions in wagtail-localize's translation editor (communes.machine_translation):
# Apertium for Occitan, offline; DeepL for English, only when a key is given.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "communes.machine_translation.BastideMachineTranslator",
    "OPTIONS": {},
}
APERTIUM_COMMAND = os.environ.get("APERTIUM_COMMAND", "apertium").strip() or "apertium"
# "fra-oci" (languedocien) or "fra-oci_gascon" (gascon); the Occitan lexicon's admin asks both.
APERTIUM_OCCITAN_MODE = os.environ.get("APERTIUM_OCCITAN_MODE", "fra-oci").strip() or "fra-oci"
APERTIUM_TIMEOUT = int(os.environ.get("APERTIUM_TIMEOUT", "60"))
DEEPL_API_KEY = os.environ.get("DEEPL_API_KEY", "").strip()
DEEPL_API_URL = os.environ.get("DEEPL_API_URL", "").strip() or (
    "https://api-free.deepl.com/v2/translate"
    if DEEPL_API_KEY.endswith(":fx")
    else "https://api.deepl.com/v2/translate"
)
DEEPL_TIMEOUT = int(os.environ.get("DEEPL_TIMEOUT", "30"))
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
WHITENOISE_ROOT = BASE_DIR / "themes" / "root"  # /favicon.ico, as a file, before any view
# MEDIA_ROOT, MEDIA_URL and STORAGES: on disk, or in an S3-compatible bucket.
# A CDN before the baked pages, purged when they change (config/settings/cdn.py).
from .cdn import *  # noqa: E402, F403
from .storage import *  # noqa: E402, F403

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Bastide"
WAGTAILIMAGES_IMAGE_MODEL = "communes.SiteImage"
WAGTAILDOCS_DOCUMENT_MODEL = "communes.SiteDocument"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://{PAYS_DOMAIN}")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Visitors' search (search.engines) and the admin's search both move to Elasticsearch 8 when
# ELASTICSEARCH_URL is set (then run `manage.py reindex_search` and `update_index`).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "").strip() or "bastide-search"
# The visitors' index on a cluster: primary shards, and replicas ("0-1": one once there are
# two nodes; a number: that many). docs/scaling.md#elasticsearch-as-a-cluster
ELASTICSEARCH_SHARDS = int(os.environ.get("ELASTICSEARCH_SHARDS", "1"))
ELASTICSEARCH_REPLICAS = os.environ.get("ELASTICSEARCH_REPLICAS", "0-1").strip()
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS["default"] = {
        # Wagtail's Elasticsearch 8 backend, its text read in French as the visitors' search
        # reads it (the analysis is the search app's).
        "BACKEND": "search.engines.elasticsearch_index.AdminSearchBackend",
        "URLS": [ELASTICSEARCH_URL],
        "INDEX_PREFIX": f"{ELASTICSEARCH_INDEX}-admin-",
        # Wagtail's default: its update_index sends large bulk requests.
        "TIMEOUT": 10,
    }
WAGTAIL_MODERATION_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: the admin would send a hash of each user's email address to a
# third party on every page (the browser tests fail on any request that leaves the site).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# --- Uploads: what the admin accepts as an image or a document (communes/uploads.py) --------------
# Every upload form of the admin (add, multiple, choosers, replace on edit) is built on these.
WAGTAILIMAGES_IMAGE_FORM_BASE = "communes.uploads.SiteImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "communes.uploads.SiteDocumentForm"
# A 40-megapixel photo is more than any page shows; a rendition of it already takes 160 MB.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("WAGTAILIMAGES_MAX_IMAGE_PIXELS", "40000000"))
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("WAGTAILIMAGES_MAX_UPLOAD_SIZE", "10485760"))
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("WAGTAILDOCS_MAX_UPLOAD_SIZE", "20971520"))
# Documents go through Django, which checks who may read them (communes/wagtail_hooks.py),
# whatever the storage: the reverse proxy must not serve MEDIA_ROOT/documents/ itself, and in a
# bucket they are private objects (serving/media_storage.py; not a signed URL, docs/scaling.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Background tasks -----------------------------------------------------------------------------
# Immediate by default (the demo has no worker); the database queue when a worker runs.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Bastide --------------------------------------------------------------------------------------
BASTIDE_REGISTRY_FILE = BASE_DIR / "communes" / "data" / "pays-grand-bergeracois.json"
BASTIDE_BLUEPRINTS_DIR = BASE_DIR / "sitefactory" / "blueprints"
# The directory's map loads its tiles from here, only once a visitor asks for the map.
DIRECTORY_TILE_URL = os.environ.get(
    "DIRECTORY_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
DIRECTORY_TILE_ATTRIBUTION = os.environ.get(
    "DIRECTORY_TILE_ATTRIBUTION",
    '© les contributeurs d’<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# An import that would archive more than this share of what its file covers stops before
# archiving and asks for --confirm (docs/directory.md, « Ce qu'un import archive »).
DIRECTORY_ARCHIVE_CONFIRM_SHARE = float(os.environ.get("DIRECTORY_ARCHIVE_CONFIRM_SHARE", "0.2"))

# --- Staff accounts (docs/security.md) ------------------------------------------------------------
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none, the
# socket's address is the client's). See serving/client_address.py.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AUTHENTICATION_BACKENDS = [
    # First: it refuses before any password is checked once an account or address is locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Either is enough to lock: one account tried from many addresses, or one address trying
# many accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "serving.client_address.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # Django's admin is not served; the log is a Wagtail report
AXES_VERBOSE = False
# Two-factor authentication for the Wagtail admin (accounts/two_factor.py).
BASTIDE_2FA_REQUIRED_FOR_STAFF = env_bool("BASTIDE_2FA_REQUIRED_FOR_STAFF", True)
BASTIDE_2FA_REQUIRED_FOR_SECRETARIES = env_bool("BASTIDE_2FA_REQUIRED_FOR_SECRETARIES", False)
OTP_TOTP_ISSUER = "Bastide"
# Days an invitation of an editor (accounts.services.invitations) stays usable.
ACCOUNTS_INVITATION_DAYS = int(os.environ.get("ACCOUNTS_INVITATION_DAYS", "7"))
# A working day, then the password and the second factor again.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Backups: whole-install backup and restore (backups/, docs/operations.md) ---------------------
INSTALLED_APPS += ["backups", "quality"]

# --- Security headers: Content-Security-Policy and other security headers -------------------------
# Public pages run no inline script or style (the map's and the search suggestions' scripts are
# static files, each site's theme tokens a stylesheet of its own): no nonce, so the header is the
# same on every response and a baked page can carry it.
# config.security_headers adds the tile server (DIRECTORY_TILE_URL) and any other host of
# media or static files when it writes the header, and gives /admin/ its own policy.
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "config.security_headers.ContentSecurityPolicyMiddleware",
)
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    }
}
# The strictest policy Wagtail 7.4's admin works with. It still writes inline <script>s
# (inline panels, date and time widgets, the multiple chooser panel, wagtail-localize's
# editor), some from form widgets that render without the request, so they cannot carry a
# nonce: scripts need 'unsafe-inline'. Its templates and its vendor.js set style attributes:
# styles need it too (both measured in the browser tests). It needs no eval. Its CSS has a
# data: image, and image uploads preview as data: and blob: URLs.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF, "'unsafe-inline'"],
        "style-src": [_CSP_SELF, "'unsafe-inline'"],
        "img-src": [_CSP_SELF, "data:", "blob:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "frame-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_SELF],
    }
}
# Same as frame-ancestors 'self', for browsers that only know X-Frame-Options. Wagtail's
# preview frames pages of the same origin.
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security headers: retention of what visitors send --------------------------------------------
# Contact messages (form submissions) are erased this many months after they were sent
# (communes.services.retention, run by the scheduler); the personal-data pages say so.
FORM_SUBMISSION_RETENTION_MONTHS = int(os.environ.get("FORM_SUBMISSION_RETENTION_MONTHS", "12"))
if FORM_SUBMISSION_RETENTION_MONTHS < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("FORM_SUBMISSION_RETENTION_MONTHS must be at least 1.")

# --- Recycle bin ----------------------------------------------------------------------------------
# Deleted pages wait in the recycle bin this many days (restorable, with their revisions),
# then the scheduler's daily purge_recycle_bin deletes them for good.
INSTALLED_APPS += ["recyclebin"]
RECYCLE_BIN_RETENTION_DAYS = int(os.environ.get("RECYCLE_BIN_RETENTION_DAYS", "30"))

# --- The sections' own settings (config/settings/sections.py) ------------------------------------
from .sections import *  # noqa: E402, F403
