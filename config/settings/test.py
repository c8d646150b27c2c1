import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PAYS_DOMAIN = "pays.test"
SITE_PORT = 80
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photo_submissions": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://pays.test"
WHITENOISE_USE_FINDERS = True
QUALITY_LINKS_ALLOW_PRIVATE = True  # the link checker's tests replay from 127.0.0.1

# --- Staff accounts: the suite's many admin tests log Pays staff in without a second factor;
# accounts/tests turn the requirement on where they test it.
BASTIDE_2FA_REQUIRED_FOR_STAFF = False

# --- pytest-xdist: each worker has its own test database (pytest-django adds the suffix) and
# must have its own Redis database too, since the tests empty theirs (cache.clear() is a
# FLUSHDB). Worker N uses the URL's database + N (or - N past the last one, 15).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit

    _url = urlsplit(REDIS_URL)  # noqa: F405
    _base = int(_url.path.strip("/") or 0)
    _index = int(_worker[2:])
    _db = _base + _index if _base + _index <= 15 else _base - _index  # noqa: PLR2004
    CACHES["default"]["LOCATION"] = _url._replace(path=f"/{_db}").geturl()  # noqa: F405
BAKING_ENABLED = False  # tests that bake turn it on (serving/tests/test_baking_*.py)

# --- Read replica: the suite reads and writes one database. With DATABASE_REPLICA_URL set, the
# replica's alias is a mirror of the test database and nothing is routed to it;
# tests/test_read_replica.py runs a primary and a standby of its own.
DATABASE_ROUTERS = []
