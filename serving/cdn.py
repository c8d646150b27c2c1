"""Telling a CDN in front of the baked pages to forget a site's pages (settings in
config/settings/cdn.py, docs/scaling.md#a-cdn-in-front).

A site's pages change in two steps: its files are withdrawn (Django serves it), then its new
generation is swapped in. Both purge the site's hostname, so that the CDN never keeps what
the origin no longer serves for longer than the purge takes. A purge that fails is logged
and not retried here: the CDN then keeps the old page until CDN_MAX_AGE, and the next change
of the site purges it again."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)
TIMEOUT = 5  # seconds: a purge runs in the baker, never in a visitor's request
BATCH = 30  # hostnames per request: Cloudflare's limit for a purge by hostname


def enabled():
    return bool(settings.CDN_PURGE_URL)


def cache_headers():
    """The header a baked page carries for the CDN, none without one."""
    if not enabled():
        return {}
    return {"CDN-Cache-Control": f"max-age={settings.CDN_MAX_AGE}"}


def purge(hosts):
    """Ask the CDN to forget every page of these hostnames (in batches); whether it accepted
    them all."""
    hosts = sorted({host.lower() for host in hosts if host})
    if not enabled() or not hosts:
        return False
    accepted = True
    for start in range(0, len(hosts), BATCH):  # every batch, even after one failed
        accepted = _post(hosts[start : start + BATCH]) and accepted
    return accepted


def _post(hosts):
    headers = {"Content-Type": "application/json"}
    if settings.CDN_PURGE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.CDN_PURGE_TOKEN}"
    request = urllib.request.Request(  # noqa: S310 - an http(s) URL, checked by the settings
        settings.CDN_PURGE_URL,
        data=json.dumps({"hosts": hosts}).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        logger.warning("CDN purge of %s failed: %s", ", ".join(hosts), error)
        return False
    return True
