"""A CDN in front of the baked pages (serving.cdn): told to forget a site when its files are
withdrawn and when its new generation is in, with the header that lets it keep them."""

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import Site

from conftest import COMMUNE_A
from serving import cdn, front
from serving.baking.engine import bake_site, withdraw
from serving.tests.baking_helpers import manifest


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in for the CDN's purge API on 127.0.0.1: keeps what it was sent."""

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.headers.get("Authorization"), json.loads(body)))
        status = self.server.status
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_api(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.received, server.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge"
    settings.CDN_PURGE_TOKEN = "secret-token"
    settings.CDN_MAX_AGE = 3600
    yield server
    server.shutdown()
    server.server_close()


DEPLOYMENT = front.Deployment(
    listen="8080",
    upstream="127.0.0.1:8000",
    baked_root="/srv/baked",
    static_root="/srv/static",
    media_root="/srv/media",
    run_dir="/run/bastide",
    conf_dir="/etc/bastide",
)


def commune_site(communes):
    collectivite = communes[COMMUNE_A]
    collectivite.refresh_from_db()
    return Site.objects.get(hostname=collectivite.hostname)


def test_a_bake_and_a_withdrawal_purge_the_sites_host(communes, baked_root, purge_api):
    site = commune_site(communes)
    host = site.hostname
    assert bake_site(site).swapped
    assert purge_api.received == [("Bearer secret-token", {"hosts": [host]})]
    # The CDN may keep the page an hour; browsers revalidate each time.
    headers = manifest(host)["headers"]
    assert headers["CDN-Cache-Control"] == "max-age=3600"
    withdraw([site.pk])
    assert purge_api.received[-1] == ("Bearer secret-token", {"hosts": [host]})


def test_many_hosts_are_purged_in_batches(purge_api):
    hosts = [f"commune-{n}.example.org" for n in range(65)]
    assert cdn.purge(hosts)
    assert [len(body["hosts"]) for _token, body in purge_api.received] == [30, 30, 5]


def test_a_failed_purge_is_logged_and_never_stops_the_bake(communes, baked_root, purge_api, caplog):
    purge_api.status = 503
    site = commune_site(communes)
    with caplog.at_level(logging.WARNING, logger="serving.cdn"):
        assert bake_site(site).swapped
    assert "CDN purge" in caplog.text
    purge_api.server_close()  # now unreachable
    assert cdn.purge(["a.example.org"]) is False


def test_without_a_cdn_nothing_is_sent_and_no_header_added(communes, baked_root, settings):
    settings.CDN_PURGE_URL = ""
    site = commune_site(communes)
    assert bake_site(site).swapped
    assert "CDN-Cache-Control" not in manifest(site.hostname)["headers"]
    assert cdn.purge([site.hostname]) is False
    assert "CDN-Cache-Control" not in front.values(DEPLOYMENT)["PAGE_HEADERS"]


def test_nginx_sends_the_cdn_header_on_baked_pages(purge_api):
    page_headers = front.values(DEPLOYMENT)["PAGE_HEADERS"]
    assert 'add_header CDN-Cache-Control "max-age=3600";' in page_headers
