"""Settings of the photos section (docs/photos.md, « Synchronisation »), read from the
environment. The API endpoints are settings so that tests and the demo replay recorded
responses from a server on 127.0.0.1 (photos/replay.py)."""

import os

from django.core.exceptions import ImproperlyConfigured

WIKIDATA_API_URL = os.environ.get("WIKIDATA_API_URL", "https://www.wikidata.org/w/api.php")
COMMONS_API_URL = os.environ.get("COMMONS_API_URL", "https://commons.wikimedia.org/w/api.php")
# Wikimedia's User-Agent policy: who runs the bot and how to reach them.
PHOTOS_CONTACT = os.environ.get(
    "PHOTOS_CONTACT", f"webmaster@{os.environ.get('PAYS_DOMAIN', 'localhost').strip().lower()}"
)
# (connect, read) in seconds, e.g. PHOTOS_TIMEOUT="5,30".
try:
    PHOTOS_TIMEOUT = tuple(
        float(part) for part in os.environ.get("PHOTOS_TIMEOUT", "5,30").split(",", 1)
    )
    if len(PHOTOS_TIMEOUT) == 1:
        PHOTOS_TIMEOUT = (PHOTOS_TIMEOUT[0], PHOTOS_TIMEOUT[0])
except ValueError as exc:
    raise ImproperlyConfigured("PHOTOS_TIMEOUT is 'connect,read' in seconds, e.g. 5,30.") from exc
# Retries of one request answered 429, 503 or a maxlag error, waiting Retry-After (or an
# exponential backoff) each time; then that commune fails and the run goes on.
PHOTOS_MAX_RETRIES = int(os.environ.get("PHOTOS_MAX_RETRIES", "3"))
# The longest wait between two tries, whatever Retry-After says.
PHOTOS_MAX_WAIT = float(os.environ.get("PHOTOS_MAX_WAIT", "120"))
# Width of the rendition downloaded from Commons (the original when it is narrower).
PHOTOS_RENDITION_WIDTH = int(os.environ.get("PHOTOS_RENDITION_WIDTH", "2000"))
# A download larger than this is refused.
PHOTOS_MAX_BYTES = int(os.environ.get("PHOTOS_MAX_BYTES", str(25 * 1024 * 1024)))
