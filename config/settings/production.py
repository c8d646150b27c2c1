import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
SECRET_KEY = os.environ["SECRET_KEY"]
SITE_PORT = int(os.environ.get("SITE_PORT", "443"))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# --- Backups: rotation of SECRET_KEY and of the mail account (docs/operations.md) -----------------
# The previous keys, comma-separated: sessions, password-reset links and signed values made
# with them stay valid while they are listed; new ones are signed with SECRET_KEY only.
SECRET_KEY_FALLBACKS = [
    key.strip() for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key.strip()
]
# The SMTP account, read from the environment so that it can be changed without a new image.
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# --- Security headers: HTTPS only, for a year, on the portal and every <slug>.PAYS_DOMAIN ---------
# Browsers remember to use HTTPS only once they have seen the header over HTTPS: the proxy in
# front must serve every site with a valid certificate before this goes out.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole domain at the browser vendors, for months, beyond this
# install: the owner of PAYS_DOMAIN decides it (SECURE_HSTS_PRELOAD=1).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 asks for preload: off by default on purpose (above).
    "security.W021",
    # security.W019 asks for X-Frame-Options: DENY. The framing policy is the CSP's
    # frame-ancestors 'self' (which browsers apply instead of X-Frame-Options); SAMEORIGIN
    # says the same to older browsers (base settings).
    "security.W019",
]

# Each process trusts the content versions it read for this long (serving.cache): a quarter
# of a second spares a round trip to Redis on almost every request. Development and tests
# read them on every request (0, the default).
CONTENT_VERSION_LEASE = float(os.environ.get("CONTENT_VERSION_LEASE", "0.25"))
