"""Django's server of the baked files (serving.baking.server): which requests it answers,
with which headers, and what it leaves to Django."""

import gzip
import io
import json

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler
from wagtail.models import Site

from conftest import COMMUNE_A
from serving.baking import layout
from serving.baking.engine import bake_site
from serving.baking.server import BakedPages, encoding_for
from serving.tests.baking_helpers import site_dir

MARK = b"<!-- from the baked file -->"


@pytest.fixture
def served(communes, baked_root):
    """A baked commune site whose home file is marked, and the server in front of Django."""
    a = communes[COMMUNE_A]
    a.refresh_from_db()
    site = Site.objects.get(hostname=a.hostname)
    bake_site(site)
    home = site_dir(site.hostname) / "index.html"
    body = MARK + home.read_bytes()
    home.write_bytes(body)
    (site_dir(site.hostname) / "index.html.gz").write_bytes(gzip.compress(body))
    (site_dir(site.hostname) / "index.html.br").write_bytes(brotli.compress(body))
    return site.hostname, BakedPages(WSGIHandler())


def call(app, host, path="/", method="GET", query="", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    chunks = app(environ, start_response)
    answer["body"] = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return answer


def from_files(answer):
    body = answer["body"]
    encoding = answer["headers"].get("Content-Encoding")
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    return body.startswith(MARK)


def test_a_baked_page_is_answered_from_its_file_with_django_s_headers(served):
    host, app = served
    answer = call(app, host)
    assert answer["status"] == 200
    assert from_files(answer)
    headers = answer["headers"]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Language"] == "fr"
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Vary"] == "Accept-Encoding"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in headers
    assert "Content-Encoding" not in headers
    assert int(headers["Content-Length"]) == len(answer["body"])
    # With the port in the Host header, in capitals: the same site.
    assert from_files(call(app, f"{host.upper()}:8000"))


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_the_encoding_follows_accept_encoding(served, accept, encoding):
    host, app = served
    answer = call(app, host, accept_encoding=accept)
    assert answer["headers"].get("Content-Encoding") == encoding
    assert from_files(answer)


def test_head_and_not_modified(served):
    host, app = served
    head = call(app, host, method="HEAD")
    assert head["status"] == 200
    assert head["body"] == b""
    etag = head["headers"]["ETag"]
    assert call(app, host, if_none_match=etag)["status"] == 304
    gzipped = call(app, host, accept_encoding="gzip")["headers"]["ETag"]
    assert gzipped != etag
    assert call(app, host, if_none_match='"other"')["status"] == 200


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"query": "q=mairie"},
        {"method": "POST"},
        {"cookie": "sessionid=abc"},
        {"cookie": "theme=dark; messages=xyz"},
        {"path": "/contact/"},
        {"path": "/nulle-part/"},
        {"path": "/../../../etc/passwd"},
        {"path": "/mairie/../index.html"},
        {"path": "/index.html"},
        {"path": "/%00/"},
        {"path": "/\0/"},
    ],
)
def test_what_is_left_to_django(served, request_kwargs):
    host, app = served
    answer = call(app, host, **request_kwargs)
    assert not from_files(answer)
    assert "ETag" not in answer["headers"] or answer["status"] != 200


@pytest.mark.parametrize("host", ["inconnu.pays.test", "../sites", "a/b", "", "[::1]"])
def test_an_unknown_or_malformed_host_is_left_to_django(served, host):
    _, app = served
    answer = call(app, host)
    assert answer["status"] == 400
    assert not from_files(answer)


def test_another_cookie_does_not_bypass_the_files(served):
    host, app = served
    assert from_files(call(app, host, cookie="csrftoken=x; choix=1"))


def test_expired_files_are_rendered_by_django(served):
    host, app = served
    manifest_path = site_dir(host) / layout.MANIFEST
    data = json.loads(manifest_path.read_text())
    data["valid_until"] = "2000-01-01T00:00:00+00:00"
    manifest_path.write_text(json.dumps(data))
    app = BakedPages(app.app)
    answer = call(app, host)
    assert answer["status"] == 200
    assert not from_files(answer)


def test_a_new_generation_is_read_by_a_running_server(served):
    host, app = served
    assert from_files(call(app, host))
    a = Site.objects.get(hostname=host)
    bake_site(a)  # no mark in the new generation
    answer = call(app, host)
    assert answer["status"] == 200
    assert not from_files(answer)
    assert b"<html" in answer["body"]


def test_accept_encoding_parsing():
    assert encoding_for("br") == ("br", ".br")
    assert encoding_for("gzip;q=0.5, br;q=0") == ("gzip", ".gz")
    assert encoding_for("identity") == ("", "")
    assert encoding_for("*") == ("br", ".br")
