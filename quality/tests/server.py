"""A small site on 127.0.0.1 for the link checker's tests: robots.txt, a 404, a slow page,
redirects, a HEAD refused; it records each request, its User-Agent and how many requests
each Host had in flight at once."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class OutsideSite:
    def __init__(self, slow=2.0, busy=0.1):
        self.slow, self.busy = slow, busy
        self.hits = []  # (method, path, host, user agent)
        self.in_flight = {}
        self.most_in_flight = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server.server_address[1]

    def url(self, path, host="127.0.0.1"):
        return f"http://{host}:{self.port}{path}"

    def paths(self, method=None):
        return [path for m, path, _host, _agent in self.hits if method in (None, m)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self._answer(head=True)

            def do_GET(self):
                self._answer(head=False)

            def _answer(self, head):
                host = self.headers.get("Host", "")
                with site.lock:
                    site.hits.append((self.command, self.path, host, self.headers["User-Agent"]))
                    site.in_flight[host] = site.in_flight.get(host, 0) + 1
                    site.most_in_flight[host] = max(
                        site.most_in_flight.get(host, 0), site.in_flight[host]
                    )
                try:
                    status, headers, body = self._route(head)
                finally:
                    # Out of flight before answering: the client may send its next request
                    # as soon as it has the answer, which must not count as an overlap.
                    with site.lock:
                        site.in_flight[host] -= 1
                try:
                    self.send_response(status)
                    for name, value in {"Content-Length": str(len(body)), **headers}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if not head:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _route(self, head):
                path = self.path.split("?", 1)[0]
                if path == "/robots.txt":
                    return 200, {"Content-Type": "text/plain"}, ROBOTS
                if path == "/missing":
                    return 404, {}, b"not found"
                if path == "/slow":
                    time.sleep(site.slow)
                    return 200, {}, b"late"
                if path == "/moved":
                    return 301, {"Location": "/ok"}, b""
                if path == "/moved-to-missing":
                    return 302, {"Location": "/missing"}, b""
                if path == "/loop":
                    return 302, {"Location": "/loop"}, b""
                if path == "/get-only":
                    return (405, {}, b"") if head else (200, {}, b"ok")
                if path.startswith("/busy/"):
                    time.sleep(site.busy)
                return 200, {"Content-Type": "text/html"}, b"<p>ok</p>"

        return Handler
