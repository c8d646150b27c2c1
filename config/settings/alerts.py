"""Settings of the residents' alerts (docs/alerts.md), read from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import INSTALLED_APPS

# base.py is full: the section adds itself to the list base.py is building (this module is
# imported at its end, config/settings/sections.py), in place, so no star import replaces it.
if "alerts" not in INSTALLED_APPS:
    INSTALLED_APPS.append("alerts")

# A subscription never confirmed is erased this many days after it was asked for (the
# confirmation link expires sooner: alerts.services.tokens.CONFIRM_DAYS).
ALERTS_UNCONFIRMED_RETENTION_DAYS = int(os.environ.get("ALERTS_UNCONFIRMED_RETENTION_DAYS", "14"))
if ALERTS_UNCONFIRMED_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("ALERTS_UNCONFIRMED_RETENTION_DAYS must be at least 1.")
