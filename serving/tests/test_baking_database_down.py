"""With the database down, the baked pages are still served (config.wsgi in a real server
process whose DATABASE_URL points to a closed port); the dynamic ones fail."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from wagtail.models import Site

from conftest import COMMUNE_A
from serving.baking.engine import bake_site

ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server
from config.wsgi import application
class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
server = make_server("127.0.0.1", 0, application, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
"""


def free_port_closed():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once closed


def get(port, host, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_baked_pages_are_served_while_the_database_is_down(communes, baked_root):
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    result = bake_site(Site.objects.get(hostname=a.hostname))
    assert result.swapped
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "test-only",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://bastide@127.0.0.1:{free_port_closed()}/x",
        "BAKED_ROOT": str(baked_root),
        "REDIS_URL": "",
        "STATIC_ROOT": str(baked_root.parent / "static"),
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", SERVER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())
        started = time.monotonic()
        status, html = get(port, a.hostname, "/mairie/")
        assert status == 200
        assert "<h1>" in html and a.site.site_name in html
        assert time.monotonic() - started < 10
        status, _html = get(port, a.hostname, "/mairie/?page=2")
        assert status >= 400  # noqa: PLR2004 - Django without its database: an error
    finally:
        server.terminate()
        server.wait(timeout=10)
