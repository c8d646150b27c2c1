"""A polite checker of outside links (stdlib only): is the address still answering?

Polite to other hosts: a User-Agent that says who we are and how to reach us, at most one
request in flight per host with a pause between two (hosts are checked in parallel, each by
one thread, and a per-host lock also holds redirects to a host another thread is checking),
robots.txt read once per host per run and obeyed, timeouts on connecting and reading, HEAD
first and GET only when HEAD is refused, and a body never read beyond a few kilobytes.

Not a probe of our own network: only http and https, and an address that resolves to a
private, loopback, link-local or reserved IP is refused (at each redirect too) unless
QUALITY_LINKS_ALLOW_PRIVATE — the tests' server listens on 127.0.0.1. The connection is made
to the IP that was checked, so a name cannot resolve to a public IP for the check and to a
private one for the request.
"""

import http.client
import ipaddress
import socket
import threading
import time
import urllib.parse
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings

USER_AGENT = "BastideLinkChecker/1.0 (+https://github.com/bastide; {contact}) python-stdlib"
REDIRECTS = {301, 302, 303, 307, 308}
# A HEAD refused by servers that answer GET (405, 501), or answered wrongly by some.
HEAD_REFUSED = {400, 403, 404, 405, 501}
ROBOTS_MAX_BYTES = 512 * 1024
BODY_MAX_BYTES = 8 * 1024


class Refused(Exception):
    """An address the checker will not request (scheme, private IP): the message says why."""

    broken = False


class Unknown(Refused):
    """A name that does not resolve: the link is broken, not merely unchecked."""

    broken = True


@dataclass
class Outcome:
    """`ok` None: not checked (robots.txt forbids it, address refused)."""

    url: str
    ok: bool | None
    status_code: int | None = None
    detail: str = ""


class _Direct:
    """Connect to the IP that was checked, not to whatever the name resolves to next."""

    def __init__(self, *args, address, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        if hasattr(self, "_context"):  # HTTPS: TLS with the host's name for SNI and checks
            self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


class _HTTP(_Direct, http.client.HTTPConnection):
    pass


class _HTTPS(_Direct, http.client.HTTPSConnection):
    pass


def host_key(url) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


def public_address(hostname, port, allow_private=False) -> str:
    """The IP to connect to, or Refused: a name whose addresses are not all public is."""
    try:
        infos = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unknown(f"hôte introuvable ({hostname})") from exc
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if not allow_private and (not ip.is_global or ip.is_multicast):
            raise Refused(f"adresse privée ou réservée refusée ({hostname})")
        addresses.append(str(ip))
    if not addresses:
        raise Unknown(f"hôte introuvable ({hostname})")
    return addresses[0]


class HostGate:
    """One request at a time per host, and `delay` seconds between two."""

    def __init__(self, delay):
        self.delay = delay
        self._locks = {}
        self._last = {}
        self._guard = threading.Lock()

    def __call__(self, key):
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        return _Held(self, key, lock)


class _Held:
    def __init__(self, gate, key, lock):
        self.gate, self.key, self.lock = gate, key, lock

    def __enter__(self):
        self.lock.acquire()
        wait = self.gate._last.get(self.key, 0) + self.gate.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def __exit__(self, *exc):
        self.gate._last[self.key] = time.monotonic()
        self.lock.release()


@dataclass
class Checker:
    timeout: tuple = field(default_factory=lambda: tuple(settings.QUALITY_LINKS_TIMEOUT))
    delay: float = field(default_factory=lambda: settings.QUALITY_LINKS_HOST_DELAY)
    max_redirects: int = field(default_factory=lambda: settings.QUALITY_LINKS_MAX_REDIRECTS)
    workers: int = field(default_factory=lambda: settings.QUALITY_LINKS_WORKERS)
    allow_private: bool = field(default_factory=lambda: settings.QUALITY_LINKS_ALLOW_PRIVATE)
    requests: int = 0

    def __post_init__(self):
        self.gate = HostGate(self.delay)
        self._robots = {}
        self._robots_lock = threading.Lock()
        self._count_lock = threading.Lock()

    @property
    def user_agent(self):
        return USER_AGENT.format(contact=settings.QUALITY_LINKS_CONTACT)

    def check_many(self, urls) -> dict[str, Outcome]:
        """Every URL checked once: hosts in parallel, each host's URLs one after the other."""
        by_host = {}
        for url in dict.fromkeys(urls):
            by_host.setdefault(host_key(url), []).append(url)
        results = {}
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for outcomes in pool.map(self._check_host, by_host.values()):
                results.update((outcome.url, outcome) for outcome in outcomes)
        return results

    def _check_host(self, urls):
        return [self.check(url) for url in urls]

    def check(self, url) -> Outcome:
        current = url
        try:
            for _hop in range(self.max_redirects + 1):
                if not self.allowed_by_robots(current):
                    return Outcome(url, None, None, "non vérifié : robots.txt l'interdit")
                status, headers = self._request("HEAD", current)
                if status in HEAD_REFUSED:
                    status, headers = self._request("GET", current)
                if status not in REDIRECTS:
                    return _outcome(url, status)
                location = headers.get("location", "")
                if not location:
                    return Outcome(url, False, status, "redirection sans adresse")
                current = urllib.parse.urljoin(current, location)
            return Outcome(url, False, None, "trop de redirections")
        except Refused as exc:
            return Outcome(url, False if exc.broken else None, None, str(exc)[:255])
        except TimeoutError:
            return Outcome(url, False, None, "délai dépassé")
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(url, False, None, f"connexion impossible : {exc}"[:255])

    # --- robots.txt ---------------------------------------------------------------------

    def allowed_by_robots(self, url) -> bool:
        parts = urllib.parse.urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            # One fetch per host per run, whichever thread asks first.
            entry = self._robots.setdefault(origin, [threading.Lock(), None])
        with entry[0]:
            if entry[1] is None:
                entry[1] = self._read_robots(origin)
        return entry[1].can_fetch(self.user_agent, url)

    def _read_robots(self, origin):
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            status, _headers, body = self._request(
                "GET", f"{origin}/robots.txt", body_bytes=ROBOTS_MAX_BYTES
            )
        except (Refused, OSError, http.client.HTTPException):
            status, body = None, b""
        # As urllib.robotparser reads it: forbidden = all refused, absent = all allowed.
        if status in (401, 403):
            parser.disallow_all = True
        elif status == 200:  # noqa: PLR2004
            parser.parse(body.decode("utf-8", errors="replace").splitlines())
        else:
            parser.allow_all = True
        return parser

    # --- One request --------------------------------------------------------------------

    def _request(self, method, url, body_bytes=None):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused("adresse refusée (http et https seulement)")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(parts.hostname, port, self.allow_private)
        kind = _HTTPS if parts.scheme == "https" else _HTTP
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connect, read = self.timeout
        headers = {"User-Agent": self.user_agent, "Accept": "*/*"}
        with self.gate(host_key(url)):
            with self._count_lock:
                self.requests += 1
            connection = kind(parts.hostname, port, timeout=connect, address=address)
            try:
                connection.connect()
                connection.sock.settimeout(read)
                connection.request(method, path, headers=headers)
                response = connection.getresponse()
                body = response.read(body_bytes or BODY_MAX_BYTES) if method == "GET" else b""
                result = response.status, {k.lower(): v for k, v in response.getheaders()}
            finally:
                connection.close()
        return (*result, body) if body_bytes else result


def _outcome(url, status) -> Outcome:
    if status < 400:  # noqa: PLR2004
        return Outcome(url, True, status)
    return Outcome(url, False, status, f"HTTP {status}")
