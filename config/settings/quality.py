"""Settings of the quality dashboard and of the weekly digest (docs/quality.md), read from the
environment."""

import os

from django.core.exceptions import ImproperlyConfigured

# Past this many days, the most recent news of a site is stale.
QUALITY_STALE_NEWS_DAYS = int(os.environ.get("QUALITY_STALE_NEWS_DAYS", "60"))
# Past this many days, the most recent council minutes are stale (a commune's council meets
# at least once a quarter, CGCT L2121-7).
QUALITY_STALE_MINUTES_DAYS = int(os.environ.get("QUALITY_STALE_MINUTES_DAYS", "120"))
# Past this many days without any edit, a site is asleep.
QUALITY_STALE_EDIT_DAYS = int(os.environ.get("QUALITY_STALE_EDIT_DAYS", "90"))
# Days a secretary has after a council meeting to attach its minutes before it is a to-do.
QUALITY_MINUTES_GRACE_DAYS = int(os.environ.get("QUALITY_MINUTES_GRACE_DAYS", "15"))
# Which editors of a collectivité get the weekly digest (accounts.services.editors roles).
QUALITY_DIGEST_ROLES = tuple(
    role.strip()
    for role in os.environ.get("QUALITY_DIGEST_ROLES", "secretariat").split(",")
    if role.strip()
)

# --- Link and accessibility checker (quality/services/links.py) ----------------------------
# Who runs the checker and how to reach them, in its User-Agent (as the photos' sync does).
QUALITY_LINKS_CONTACT = os.environ.get(
    "QUALITY_LINKS_CONTACT",
    f"webmaster@{os.environ.get('PAYS_DOMAIN', 'localhost').strip().lower()}",
)
# Outside links checked over HTTP; off, only what needs no network is checked (the demo
# machine, which has no internet: every outside link would look broken).
QUALITY_LINKS_EXTERNAL = os.environ.get("QUALITY_LINKS_EXTERNAL", "1").lower() in ("1", "true")
# (connect, read) in seconds, e.g. QUALITY_LINKS_TIMEOUT="5,15".
try:
    QUALITY_LINKS_TIMEOUT = tuple(
        float(part) for part in os.environ.get("QUALITY_LINKS_TIMEOUT", "5,15").split(",", 1)
    )
    if len(QUALITY_LINKS_TIMEOUT) == 1:
        QUALITY_LINKS_TIMEOUT = (QUALITY_LINKS_TIMEOUT[0], QUALITY_LINKS_TIMEOUT[0])
except ValueError as exc:
    raise ImproperlyConfigured("QUALITY_LINKS_TIMEOUT is 'connect,read' in seconds.") from exc
# Seconds between two requests to the same host (never more than one at a time there).
QUALITY_LINKS_HOST_DELAY = float(os.environ.get("QUALITY_LINKS_HOST_DELAY", "1"))
# Hosts checked in parallel, one thread each.
QUALITY_LINKS_WORKERS = int(os.environ.get("QUALITY_LINKS_WORKERS", "4"))
QUALITY_LINKS_MAX_REDIRECTS = int(os.environ.get("QUALITY_LINKS_MAX_REDIRECTS", "5"))
# An address checked less than this many hours ago is not requested again (a URL shared by
# 160 sites is requested once a run anyway).
QUALITY_LINKS_RECHECK_HOURS = float(os.environ.get("QUALITY_LINKS_RECHECK_HOURS", "20"))
# Never a probe of our own network: private, loopback and reserved addresses are refused
# (the tests' server on 127.0.0.1 turns this on in config/settings/test.py).
QUALITY_LINKS_ALLOW_PRIVATE = False
# PDFs: only the first pages are read, and a file larger than this is not opened.
QUALITY_DOCUMENTS_MAX_PAGES = int(os.environ.get("QUALITY_DOCUMENTS_MAX_PAGES", "5"))
QUALITY_DOCUMENTS_MAX_BYTES = int(
    os.environ.get("QUALITY_DOCUMENTS_MAX_BYTES", str(50 * 1024 * 1024))
)
# --- end of the link checker's settings ----------------------------------------------------
