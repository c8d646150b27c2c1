"""A CDN in front of the baked pages (docs/scaling.md#a-cdn-in-front): how long it may keep a
page, and where Bastide asks it to forget a site's pages when they change."""

import os

from django.core.exceptions import ImproperlyConfigured

# POSTed {"hosts": [...]} when a site's pages change (Cloudflare's purge-by-hostname shape;
# a small relay adapts it to another CDN's API). Empty: no CDN, nothing sent.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "").strip()
# Sent as "Authorization: Bearer <token>" with each purge.
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "").strip()
# With a CDN: how long it may keep a baked page (CDN-Cache-Control, RFC 9213). Browsers still
# revalidate each time (Cache-Control: no-cache); the purge is what makes a change visible.
try:
    CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "86400"))
except ValueError as error:
    raise ImproperlyConfigured("CDN_MAX_AGE must be a number of seconds.") from error
if CDN_PURGE_URL and not CDN_PURGE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("CDN_PURGE_URL must be an http(s) URL.")
