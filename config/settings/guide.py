"""Settings of the editors' guide served in the admin (docs/guide-secretaire.md), read from
the environment: whom a secretary calls when she is stuck."""

import os

_PAYS_DOMAIN = os.environ.get("PAYS_DOMAIN", "localhost").strip().lower()

# Shown at the top of « Aide » (/admin/aide/); the guide itself says to look there.
PAYS_SUPPORT_EMAIL = os.environ.get("PAYS_SUPPORT_EMAIL", f"assistance@{_PAYS_DOMAIN}")
# Empty: no telephone number is shown.
PAYS_SUPPORT_PHONE = os.environ.get("PAYS_SUPPORT_PHONE", "")
