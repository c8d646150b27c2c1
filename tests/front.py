"""What the front's tests run: the shipped nginx configuration on a free port, a stand-in for
gunicorn, and generations of baked files written by hand as the spec lays them out
(docs/serving.md#serving-the-files). The stand-in answers "from-django" and stands for
gunicorn only; the database is never mocked."""

import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli

from serving.front import Deployment, render

NGINX = "/usr/sbin/nginx"
MISSING = "nginx is missing: run `make nginx-deps` (bin/nginx-deps)."


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, up=True, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            if up:
                return
        except OSError:
            if not up:
                return
        time.sleep(0.02)
    raise TimeoutError(f"port {port} never {'opened' if up else 'closed'}")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        reply = b"from-django"
        # /status/<code>/: that status, as Django answers a redirect or a missing page.
        code = int(self.path.split("/")[2]) if self.path.startswith("/status/") else 200
        self.send_response(code)
        if code in {301, 302}:
            self.send_header("Location", "/ailleurs/")
            self.send_header("Set-Cookie", "sessionid=new; HttpOnly; Path=/")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply)

    do_GET = do_HEAD = do_POST = _answer

    def log_message(self, *args):
        pass


class Upstream:
    """gunicorn's stand-in: answers every request "from-django" and remembers it."""

    def __init__(self):
        self.port = free_port()
        self.server = None
        self.seen = []

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        self.server.seen = self.seen
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Nginx:
    """The shipped configuration, rendered for this directory, run by the current user."""

    def __init__(self, directory, upstream_port):
        self.directory = Path(directory)
        self.port = free_port()
        self.baked_root = self.directory / "baked"
        self.static_root = self.directory / "static"
        self.media_root = self.directory / "media"
        for path in (self.baked_root / "sites", self.static_root, self.media_root):
            path.mkdir(parents=True, exist_ok=True)
        conf = self.directory / "conf"
        self.deployment = Deployment(
            listen=f"127.0.0.1:{self.port}",
            upstream=f"127.0.0.1:{upstream_port}",
            baked_root=str(self.baked_root),
            static_root=str(self.static_root),
            media_root=str(self.media_root),
            run_dir=str(self.directory / "run"),
            conf_dir=str(conf),
            error_log=str(self.directory / "error.log"),
            access_log="off",
            # Only a master running as root changes user: then stay who we are.
            user="root" if os.geteuid() == 0 else "",
        )
        (self.directory / "run").mkdir(exist_ok=True)
        self.conf = render(self.deployment, conf)
        self.process = None

    def start(self):
        assert os.path.exists(NGINX), MISSING
        command = [NGINX, "-p", str(self.directory), "-c", str(self.conf), "-g", "daemon off;"]
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE)  # noqa: S603
        try:
            wait_for(self.port)
        except TimeoutError:
            self.process.kill()
            raise AssertionError(self.process.communicate()[1].decode()) from None
        return self

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def request(self, method, path, host, headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        response.content = response.read()
        connection.close()
        return response


def write_generation(baked_root, hostname, pages, name="g1", headers=None):
    """A generation as the baking engine writes it: each page's file, its .gz and .br, the
    manifest, then sites/<hostname> pointed at it by a relative symlink swapped in place.
    `pages` maps a URL path to (file name in the generation, content type, bytes)."""
    baked_root = Path(baked_root)
    generation = baked_root / "generations" / hostname / name
    if generation.exists():
        shutil.rmtree(generation)
    manifest = {"hostname": hostname, "headers": headers or {}, "pages": {}, "skipped": {}}
    for url, (file, content_type, body) in pages.items():
        path = generation / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        Path(f"{path}.gz").write_bytes(gzip.compress(body))
        Path(f"{path}.br").write_bytes(brotli.compress(body))
        manifest["pages"][url] = {"file": file, "type": content_type, "language": "fr"}
    (generation / "manifest.json").write_text(json.dumps(manifest))
    link = baked_root / "sites" / hostname
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_name(f".{hostname}.new")
    temporary.symlink_to(os.path.relpath(generation, link.parent))
    os.replace(temporary, link)
    return generation
