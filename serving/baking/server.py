"""Django's own server of the baked files: a WSGI wrapper that answers a public page from
its file before any Django work (no URL resolution, no middleware, no database), when the
request is one every anonymous visitor makes alike. Everything else goes to Django.

    application = BakedPages(get_wsgi_application())   (config/wsgi.py)

The manifest of a site's current generation is read once per generation (the symlink's
target, os.readlink at each request) and kept in this process.
"""

import functools
import json
import os
import time
import zlib

from django.conf import settings

from serving.baking import bypass_cookies
from serving.baking.layout import HOST_RE, MANIFEST
from serving.baking.runner import parse_moment

ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
NOT_MODIFIED_HEADERS = (("Vary", "Accept-Encoding"), ("Cache-Control", "no-cache"))


@functools.lru_cache(maxsize=256)
def encoding_for(accept_encoding):
    """(Content-Encoding or "", file suffix) for an Accept-Encoding header: br, gzip, none."""
    accepted = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.replace(" ", "")
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip()] = quality
    for name, suffix in ENCODINGS:
        if accepted.get(name, accepted.get("*", 0)) > 0:
            return name, suffix
    return "", ""


class Generation:
    """A site's current generation: its directory, pages and headers, prepared once."""

    def __init__(self, directory, name):
        with open(os.path.join(directory, MANIFEST), encoding="utf-8") as handle:
            manifest = json.load(handle)
        until = parse_moment(manifest.get("valid_until"))
        self.valid_until = until.timestamp() if until else None
        common = [(k, v) for k, v in manifest.get("headers", {}).items()]
        self.pages = {}
        for path, entry in manifest["pages"].items():
            headers = [("Content-Type", entry["type"])]
            if entry.get("language"):
                headers.append(("Content-Language", entry["language"]))
            headers += [
                ("Vary", "Accept-Encoding"),
                ("Cache-Control", "no-cache"),
                *common,
                *entry.get("headers", {}).items(),
            ]
            etag = f"{name}-{zlib.crc32(entry['file'].encode()):08x}"
            self.pages[path] = (os.path.join(directory, entry["file"]), headers, etag)

    def expired(self):
        return self.valid_until is not None and time.time() >= self.valid_until


class BakedPages:
    def __init__(self, app):
        self.app = app
        self.sites = os.path.join(str(settings.BAKED_ROOT), "sites")
        self.bypass = tuple(f"{name}=" for name in bypass_cookies())
        self.https_only = getattr(settings, "SECURE_SSL_REDIRECT", False)
        proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self.proxy_header = proxy[0] if proxy else None
        self.generations = {}  # host -> (symlink target, Generation)

    def __call__(self, environ, start_response):
        found = self.lookup(environ)
        if found is None:
            return self.app(environ, start_response)
        generation, (filename, headers, etag) = found
        if generation.expired():
            return self.fresh_or_baked(environ, start_response, filename, headers, etag)
        return self.serve(environ, start_response, filename, headers, etag)

    def lookup(self, environ):
        """(Generation, page entry) when this request may be answered from the files."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return None
        cookies = environ.get("HTTP_COOKIE")
        if cookies and any(c.strip().startswith(self.bypass) for c in cookies.split(";")):
            return None
        if self.https_only and not self.secure(environ):
            return None  # Django redirects to https
        host = environ.get("HTTP_HOST", "").rpartition(":")[0] or environ.get("HTTP_HOST", "")
        host = host.lower()
        if not HOST_RE.match(host):
            return None
        try:
            path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None
        if "\0" in path or "/." in path or "\\" in path:
            return None
        link = os.path.join(self.sites, host)
        try:
            target = os.readlink(link)
        except OSError:
            return None
        cached = self.generations.get(host)
        if cached is None or cached[0] != target:
            try:
                name = os.path.basename(target.rstrip("/"))
                generation = Generation(os.path.join(self.sites, target), name)
            except (OSError, ValueError, KeyError):
                return None
            cached = self.generations[host] = (target, generation)
        entry = cached[1].pages.get(path)
        if entry is None:
            return None
        return cached[1], entry

    def secure(self, environ):
        if self.proxy_header and self.proxy_header in environ:
            return environ[self.proxy_header] == "https"
        return environ.get("wsgi.url_scheme") == "https"

    def serve(self, environ, start_response, filename, headers, etag):
        encoding, suffix = encoding_for(environ.get("HTTP_ACCEPT_ENCODING", ""))
        etag = f'"{etag}{suffix}"'
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match and (match.strip() == "*" or etag in match):
            start_response("304 Not Modified", [("ETag", etag), *NOT_MODIFIED_HEADERS])
            return [b""]
        try:
            with open(filename + suffix, "rb") as handle:
                body = handle.read()
        except OSError:
            return self.app(environ, start_response)  # pruned under our feet: Django
        response_headers = [*headers, ("ETag", etag), ("Content-Length", str(len(body)))]
        if encoding:
            response_headers.append(("Content-Encoding", encoding))
        start_response("200 OK", response_headers)
        if environ["REQUEST_METHOD"] == "HEAD":
            return [b""]
        return [body]

    def fresh_or_baked(self, environ, start_response, filename, headers, etag):
        """Expired files: Django renders the page; if it fails (the database is down), the
        expired file is better than an error page."""
        captured = {}

        def capture(status, response_headers, exc_info=None):
            captured["args"] = (status, response_headers, exc_info)
            return lambda data: None  # Django never uses write()

        result = self.app(environ, capture)
        status = captured.get("args", ("500",))[0]
        if int(status.split(" ", 1)[0]) >= 500:  # noqa: PLR2004
            if hasattr(result, "close"):
                result.close()
            return self.serve(environ, start_response, filename, headers, etag)
        start_response(*captured["args"])
        return result
