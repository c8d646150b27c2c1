"""Settings of the newcomers' guide (docs/newcomers.md), read from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

PAYS_DOMAIN = os.environ.get("PAYS_DOMAIN", "localhost").strip().lower()

# Applications of the newcomers' form (newcomers.applications.retention): erased this many
# days after they were sent, by the scheduler's daily purge_applications; the form says so.
NEWCOMERS_APPLICATION_RETENTION_DAYS = int(
    os.environ.get("NEWCOMERS_APPLICATION_RETENTION_DAYS", "730")
)
if NEWCOMERS_APPLICATION_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("NEWCOMERS_APPLICATION_RETENTION_DAYS must be at least 1.")
# Where an application goes when no active partner follows its sector.
NEWCOMERS_PAYS_NAME = os.environ.get("NEWCOMERS_PAYS_NAME", "Pays du Grand Bergeracois")
NEWCOMERS_PAYS_EMAIL = os.environ.get("NEWCOMERS_PAYS_EMAIL", f"installez-vous@{PAYS_DOMAIN}")
