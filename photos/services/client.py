"""A polite client of the Wikidata and Commons APIs (stdlib only).

Wikimedia's etiquette: a descriptive User-Agent with a contact address, one request at a
time, `maxlag=5` on every API call, and a client that backs off when told to. A 429, a 503
or a maxlag error (answered with HTTP 200 and {"error": {"code": "maxlag"}}) is tried again
after Retry-After (or an exponential backoff), at most PHOTOS_MAX_RETRIES times; then
`FetchError` is raised and the caller fails that commune only. Timeouts are separate for
connecting and reading (http.client, under urllib, allows both).
"""

import http.client
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings

USER_AGENT = "BastidePhotos/1.0 (https://github.com/bastide; {contact}) python-stdlib"
RETRIED_STATUSES = {429, 503}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 3
# One request at a time in this process, whichever thread (command, task) asks.
_ONE_AT_A_TIME = threading.Lock()


class FetchError(Exception):
    """A request that failed for good: the message says why, in French, for the report."""


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


@dataclass
class Client:
    sleep: object = time.sleep
    timeout: tuple = field(default_factory=lambda: tuple(settings.PHOTOS_TIMEOUT))
    max_retries: int = field(default_factory=lambda: settings.PHOTOS_MAX_RETRIES)
    max_wait: float = field(default_factory=lambda: settings.PHOTOS_MAX_WAIT)
    max_bytes: int = field(default_factory=lambda: settings.PHOTOS_MAX_BYTES)
    requests: int = 0

    @property
    def user_agent(self):
        return USER_AGENT.format(contact=settings.PHOTOS_CONTACT)

    # --- The APIs ------------------------------------------------------------------------

    def api(self, base_url, **params) -> dict:
        """GET an action API with maxlag=5, JSON format 2; retried as the module says."""
        params = {"format": "json", "formatversion": "2", "maxlag": "5", **params}
        url = f"{base_url}?{urllib.parse.urlencode(params)}"
        for attempt in range(self.max_retries + 1):
            response = self._get(url)
            if response.status in RETRIED_STATUSES:
                self._wait(attempt, response, f"HTTP {response.status}")
                continue
            if response.status != 200:
                raise FetchError(f"l'API a répondu HTTP {response.status}")
            try:
                data = json.loads(response.body)
            except ValueError as exc:
                raise FetchError("l'API a répondu autre chose que du JSON") from exc
            error = data.get("error") if isinstance(data, dict) else None
            if error and error.get("code") == "maxlag":
                self._wait(attempt, response, "maxlag")
                continue
            if error:
                raise FetchError(f"erreur de l'API : {error.get('code', '?')}")
            return data
        raise AssertionError("unreachable")  # pragma: no cover

    def download(self, url) -> Response:
        """GET a file (no maxlag: not an API), same retries; refused beyond max_bytes."""
        for attempt in range(self.max_retries + 1):
            response = self._get(url)
            if response.status in RETRIED_STATUSES:
                self._wait(attempt, response, f"HTTP {response.status}")
                continue
            if response.status != 200:
                raise FetchError(f"le téléchargement a répondu HTTP {response.status}")
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    # --- One request -----------------------------------------------------------------------

    def _wait(self, attempt, response, what):
        if attempt >= self.max_retries:
            raise FetchError(
                f"{what} : toujours refusé après {self.max_retries} nouvelles tentatives"
            )
        backoff = 2**attempt
        retry_after = response.headers.get("retry-after", "")
        wait = float(retry_after) if retry_after.strip().isdigit() else backoff
        self.sleep(min(max(wait, backoff), self.max_wait))

    def _get(self, url) -> Response:
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._get_once(url)
            if response.status not in REDIRECTS:
                return response
            url = urllib.parse.urljoin(url, response.headers.get("location", ""))
        raise FetchError("trop de redirections")

    def _get_once(self, url) -> Response:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"adresse refusée : {url[:100]}")
        connect, read = self.timeout
        kind = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        with _ONE_AT_A_TIME:
            self.requests += 1
            connection = kind(parts.hostname, parts.port, timeout=connect)
            try:
                connection.connect()
                connection.sock.settimeout(read)
                connection.request("GET", path, headers={"User-Agent": self.user_agent})
                raw = connection.getresponse()
                body = raw.read(self.max_bytes + 1)
                headers = {k.lower(): v for k, v in raw.getheaders()}
            except http.client.IncompleteRead as exc:
                raise FetchError("réponse incomplète (fichier tronqué)") from exc
            except TimeoutError as exc:
                raise FetchError(f"délai dépassé ({parts.hostname})") from exc
            except (OSError, http.client.HTTPException) as exc:
                raise FetchError(f"connexion impossible ({parts.hostname}) : {exc}") from exc
            finally:
                connection.close()
        if len(body) > self.max_bytes:
            raise FetchError("fichier trop volumineux")
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) != len(body):
            raise FetchError("réponse incomplète (fichier tronqué)")
        return Response(raw.status, headers, body)
