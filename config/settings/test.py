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
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://pays.test"
WHITENOISE_USE_FINDERS = True

# --- Staff accounts: the suite's many admin tests log Pays staff in without a second factor;
# accounts/tests turn the requirement on where they test it.
BASTIDE_2FA_REQUIRED_FOR_STAFF = False
