import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"  # noqa: S105
SITE_PORT = int(os.environ.get("SITE_PORT", "8000"))
if "SITE_PORT" not in os.environ:
    # `manage.py runserver 8123`: links between sites follow the port of each request.
    MIDDLEWARE = ["serving.siteurls.RequestPortMiddleware", *MIDDLEWARE]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = STORAGES | {  # noqa: F405 - the media's, on disk or in a bucket (storage.py)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"http://localhost:{SITE_PORT}")
STATIC_ROOT = BASE_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
