"""A replay of the Wikidata and Commons APIs on 127.0.0.1, for the demo and the tests.

These machines have no internet. `ReplayServer` answers on a random port with responses in
the shapes the APIs document (wbgetentities, list=search, prop=imageinfo), from `Recorded`
data: the demo's files in photos/demo/ (`Recorded.demo()`), or what a test builds. Faults
are queued per route (`recorded.faults["imageinfo"] = [Reply(429, ...)]`): each request of
that route takes the next one first.

URLs in the recorded data say "{replay}" for the server's own address. The demo's images
are drawn by Pillow when asked (photos/services/standins.py): the server fills in their
sha1, size and dimensions, the only part of the demo's responses not read from a file.
"""

import hashlib
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent / "demo"


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds slept before answering (a timeout)


@dataclass
class Recorded:
    entities: dict = field(default_factory=dict)  # Q-id -> entity
    searches: dict = field(default_factory=dict)  # INSEE code -> [Q-id]
    pages: dict = field(default_factory=dict)  # "File:…" -> page with imageinfo
    files: dict = field(default_factory=dict)  # file path under /upload/ -> bytes
    drawn: object = None  # callable(name) -> bytes, for files not in `files`
    faults: dict = field(default_factory=dict)  # route -> [Reply, …]
    hits: list = field(default_factory=list)  # (route, params) of each request
    agents: set = field(default_factory=set)  # the User-Agents seen

    @classmethod
    def demo(cls):
        from photos.services.standins import draw

        read = lambda name: json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))  # noqa: E731
        return cls(
            entities=read("wbgetentities.json")["entities"],
            searches=read("search.json"),
            pages=read("imageinfo.json"),
            drawn=draw,
        )

    # --- Answering -------------------------------------------------------------------------

    def respond(self, path: str, params: dict, base: str) -> Reply:
        route = self._route(path, params)
        self.hits.append((route, params))
        queued = self.faults.get(route)
        if queued:
            return queued.pop(0)
        if route == "search":
            return Reply(body=self._search(params))
        if route == "wbgetentities":
            return Reply(body=self._entities(params))
        if route == "imageinfo":
            return Reply(body=self._imageinfo(params, base))
        if route == "file":
            body = self._file(path.removeprefix("/upload/"))
            if body is None:
                return Reply(404, b"not found")
            kind = "image/png" if body[:4] == b"\x89PNG" else "image/jpeg"
            return Reply(body=body, headers={"Content-Type": kind})
        return Reply(404, b"unknown route")

    @staticmethod
    def _route(path, params):
        if path.startswith("/upload/"):
            return "file"
        if params.get("action") == "wbgetentities":
            return "wbgetentities"
        if params.get("list") == "search":
            return "search"
        if params.get("prop") == "imageinfo":
            return "imageinfo"
        return "unknown"

    def _search(self, params):
        code = params.get("srsearch", "").rsplit("=", 1)[-1]
        hits = [{"ns": 0, "title": q, "pageid": int(q[1:])} for q in self.searches.get(code, [])]
        return {
            "batchcomplete": True,
            "query": {"searchinfo": {"totalhits": len(hits)}, "search": hits},
        }

    def _entities(self, params):
        entities = {}
        for item in params.get("ids", "").split("|"):
            entities[item] = self.entities.get(item) or {"id": item, "missing": ""}
        return {"entities": entities, "success": 1}

    def _imageinfo(self, params, base):
        title = params.get("titles", "")
        page = self.pages.get(title)
        if page is None:
            page = {"ns": 6, "title": title, "missing": True, "known": False}
        else:
            page = json.loads(json.dumps(page).replace("{replay}", base))
            for info in page.get("imageinfo", []):
                self._fill(info, base)
        return {"batchcomplete": True, "query": {"pages": [page]}}

    def _fill(self, info, base):
        """Sizes and sha1 of drawn files, measured (recorded values are kept)."""
        if self.drawn is None:
            return
        import io

        from PIL import Image

        def measure(url):
            body = self._file(url.removeprefix(f"{base}/upload/"))
            with Image.open(io.BytesIO(body)) as image:
                return body, image.size

        if not info.get("sha1"):
            body, (width, height) = measure(info["url"])
            info.update(sha1=hashlib.sha1(body).hexdigest(), size=len(body))  # noqa: S324
            info.update(width=width, height=height)
        if info.get("thumburl") and not info.get("thumbwidth"):
            _body, (info["thumbwidth"], info["thumbheight"]) = measure(info["thumburl"])

    def _file(self, name):
        name = urllib.parse.unquote(name)
        if name in self.files:
            return self.files[name]
        if self.drawn is not None:
            body = self.drawn(name)
            self.files[name] = body
            return body
        return None


class _Handler(BaseHTTPRequestHandler):
    server_version = "BastideReplay/1.0"

    def do_GET(self):  # noqa: N802
        parts = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(parts.query))
        with self.server.lock:
            self.server.recorded.agents.add(self.headers.get("User-Agent", ""))
            reply = self.server.recorded.respond(parts.path, params, self.server.base)
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.body
        if isinstance(body, dict):
            body = json.dumps(body).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


class ReplayServer:
    """`with ReplayServer(recorded) as server:` then point the settings at server.settings()."""

    def __init__(self, recorded: Recorded | None = None):
        self.recorded = recorded if recorded is not None else Recorded.demo()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.recorded = self.recorded
        self.httpd.lock = threading.Lock()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.httpd.base = self.base
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def use(self, recorded: Recorded) -> Recorded:
        """Answer from other data from now on (a test's own)."""
        self.recorded = self.httpd.recorded = recorded
        return recorded

    def settings(self) -> dict:
        return {
            "WIKIDATA_API_URL": f"{self.base}/wikidata/w/api.php",
            "COMMONS_API_URL": f"{self.base}/commons/w/api.php",
        }

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
