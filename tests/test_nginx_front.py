"""The production front: the shipped nginx configuration (config/nginx/), run for real,
answers what the baked files may answer and passes the rest to gunicorn
(docs/serving.md#serving-the-files). Generations are written by hand here, as the layout spec
says; tests/front.py has the stand-in for gunicorn."""

import copy
import gzip
import subprocess
from io import StringIO

import brotli
import pytest
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from conftest import COMMUNE_A, host_client
from serving.front import page_headers
from tests.front import NGINX, Nginx, Upstream, write_generation

HOST = "bergerac.pays.test"
HTML = "text/html; charset=utf-8"
HOME = "<!doctype html><title>Bergerac</title><p>Accueil " + "é" * 400
FEED = "<?xml version='1.0'?><rss><channel><title>Actualités</title></channel></rss>"


@pytest.fixture
def upstream():
    server = Upstream()
    server.start()
    yield server
    if server.server.socket.fileno() != -1:
        server.stop()


@pytest.fixture
def front(upstream, tmp_path):
    nginx = Nginx(tmp_path, upstream.port)
    write_generation(
        nginx.baked_root,
        HOST,
        {
            "/": ("index.html", HTML, HOME.encode()),
            "/la-mairie/": ("la-mairie/index.html", HTML, b"<p>La mairie</p>"),
            "/actualites/rss/": ("actualites/rss/index.xml", "application/rss+xml", FEED.encode()),
            "/sitemap.xml": ("sitemap.xml", "application/xml", b"<urlset/>"),
        },
    )
    nginx.start()
    yield nginx
    nginx.stop()


def get(front, path, host=HOST, **headers):
    return front.request("GET", path, host, headers)


def test_a_baked_page_is_served_in_brotli_gzip_or_plain_as_the_browser_accepts(front, upstream):
    plain = get(front, "/")
    assert plain.status == 200
    assert plain.content.decode() == HOME
    assert plain.getheader("Content-Encoding") is None
    assert plain.getheader("Content-Type") == HTML
    assert plain.getheader("Content-Language") == "fr"
    assert plain.getheader("Vary") == "Accept-Encoding"
    assert plain.getheader("Cache-Control") == "no-cache"

    both = get(front, "/", **{"Accept-Encoding": "gzip, deflate, br"})
    assert both.getheader("Content-Encoding") == "br"
    assert brotli.decompress(both.content).decode() == HOME

    zipped = get(front, "/", **{"Accept-Encoding": "gzip"})
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.content).decode() == HOME
    assert zipped.getheader("Vary") == "Accept-Encoding"

    page = get(front, "/la-mairie/")
    assert page.content == b"<p>La mairie</p>"
    assert upstream.seen == []


def test_feeds_and_named_files_carry_their_own_types(front):
    feed = get(front, "/actualites/rss/")
    assert feed.status == 200
    assert feed.getheader("Content-Type") == "application/rss+xml; charset=utf-8"
    assert feed.content.decode() == FEED
    sitemap = get(front, "/sitemap.xml")
    assert sitemap.getheader("Content-Type") == "application/xml"
    assert sitemap.content == b"<urlset/>"


def test_head_and_a_matching_etag(front, upstream):
    head = front.request("HEAD", "/", HOST)
    assert head.status == 200
    assert head.content == b""
    assert head.getheader("Content-Length") == str(len(HOME.encode()))
    etag = get(front, "/").getheader("ETag")
    assert etag
    again = get(front, "/", **{"If-None-Match": etag})
    assert again.status == 304
    assert again.content == b""
    # Each encoding is its own representation with its own tag.
    assert get(front, "/", **{"Accept-Encoding": "br"}).getheader("ETag") != etag
    assert upstream.seen == []


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/?page=2", {}),
        ("GET", "/", {"Cookie": "sessionid=abc"}),
        ("GET", "/", {"Cookie": "csrftoken=x; messages=abc"}),
        ("POST", "/", {}),
        ("GET", "/une-page-jamais-cuite/", {}),
        ("GET", "/index.html", {}),
        ("GET", "/manifest.json", {}),
        ("GET", "/index.html.br", {}),
        ("GET", "/la-mairie", {}),
    ],
)
def test_what_the_files_may_not_answer_goes_to_django(front, upstream, method, path, headers):
    response = front.request(method, path, HOST, headers, body=b"a=1" if method == "POST" else None)
    assert response.status == 200
    assert response.content == b"from-django"
    (seen,) = upstream.seen
    assert (seen["method"], seen["path"]) == (method, path)
    if method == "POST":
        assert seen["body"] == b"a=1"


@pytest.mark.parametrize("code", [302, 404, 500])
def test_django_answers_pass_through_unchanged(front, code):
    response = get(front, f"/status/{code}/", Cookie="sessionid=old")
    assert response.status == code
    assert response.content == b"from-django"
    if code == 302:
        assert response.getheader("Location") == "/ailleurs/"
        assert response.getheader("Set-Cookie") == "sessionid=new; HttpOnly; Path=/"


def test_the_port_in_the_host_does_not_matter(front, upstream):
    assert get(front, "/", host=f"{HOST}:8000").content.decode() == HOME
    assert get(front, "/", host=HOST.upper()).content.decode() == HOME
    assert upstream.seen == []


def test_a_visitor_cookie_that_is_not_personal_still_gets_the_file(front, upstream):
    response = get(front, "/", Cookie="csrftoken=x; lang=fr")
    assert response.content.decode() == HOME
    assert upstream.seen == []


def test_an_unknown_host_goes_to_django_with_what_the_proxies_said(front, upstream):
    response = get(
        front,
        "/",
        host="ailleurs.example",
        **{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
    )
    assert response.content == b"from-django"
    (seen,) = upstream.seen
    assert seen["headers"]["Host"] == "ailleurs.example"
    # The TLS proxy's list, with the address nginx received the request from: two proxies.
    assert seen["headers"]["X-Forwarded-For"] == "203.0.113.7, 127.0.0.1"
    assert seen["headers"]["X-Forwarded-Proto"] == "https"


def test_baked_pages_stay_up_when_django_is_down(front, upstream):
    upstream.stop()
    assert get(front, "/").content.decode() == HOME
    assert get(front, "/la-mairie/").status == 200
    assert get(front, "/contact/").status == 502


def test_a_new_generation_is_served_once_its_link_is_swapped(front):
    write_generation(front.baked_root, HOST, {"/": ("index.html", HTML, b"v2")}, name="g2")
    assert get(front, "/").content == b"v2"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.html",
        "/%2e%2e/secret.html",
        "/%2E%2E/%2e%2e/secret.html",
        "/..%2fsecret.html",
        "/la-mairie/..%2f..%2f..%2f..%2fsecret.html",
        "/%2e%2e/%2e%2e/generations/lalinde.pays.test/g1/",
        "/../../generations/lalinde.pays.test/g1/index.html",
        "/static/../baked/secret.html",
        "/media/../baked/secret.html",
        "/media/..%2fdocuments/secret.pdf",
    ],
)
def test_traversal_never_leaves_the_site(front, path):
    (front.baked_root / "secret.html").write_text("SECRET")
    write_generation(front.baked_root, "lalinde.pays.test", {"/": ("index.html", HTML, b"SECRET")})
    response = get(front, path)
    assert b"SECRET" not in response.content
    assert response.status in {400, 404} or response.content == b"from-django"


@pytest.mark.parametrize("host", ["..", "../lalinde.pays.test", "bergerac.pays.test/..", "."])
def test_a_hostile_host_never_reaches_another_directory(front, host):
    write_generation(front.baked_root, "lalinde.pays.test", {"/": ("index.html", HTML, b"SECRET")})
    response = get(front, "/", host=host)
    assert response.status == 400
    assert b"SECRET" not in response.content


def test_collected_static_files_are_served_with_a_long_cache_for_hashed_names(front, upstream):
    css = b"body{color:#123}" * 50
    (front.static_root / "css").mkdir()
    (front.static_root / "css" / "site.0123456789ab.css").write_bytes(css)
    (front.static_root / "css" / "site.0123456789ab.css.gz").write_bytes(gzip.compress(css))
    (front.static_root / "css" / "site.css").write_bytes(css)
    hashed = get(front, "/static/css/site.0123456789ab.css", **{"Accept-Encoding": "gzip"})
    assert hashed.status == 200
    assert gzip.decompress(hashed.content) == css
    assert hashed.getheader("Cache-Control") == "max-age=315360000, public, immutable"
    assert hashed.getheader("Content-Type") == "text/css; charset=utf-8"
    assert hashed.getheader("X-Content-Type-Options") == "nosniff"
    plain = get(front, "/static/css/site.css")
    assert plain.content == css
    assert plain.getheader("Cache-Control") == "max-age=60, public"
    assert get(front, "/static/css/missing.css").status == 404
    assert upstream.seen == []


def test_media_are_served_from_disk_except_documents(front, upstream):
    (front.media_root / "images").mkdir()
    (front.media_root / "images" / "photo.png").write_bytes(b"\x89PNG fake")
    (front.media_root / "documents").mkdir()
    (front.media_root / "documents" / "deliberation.pdf").write_bytes(b"%PDF private")
    image = get(front, "/media/images/photo.png")
    assert image.content == b"\x89PNG fake"
    assert image.getheader("Content-Type") == "image/png"
    assert image.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in image.getheader("Content-Security-Policy")
    for path in ("/media/documents/deliberation.pdf", "/media//documents/deliberation.pdf"):
        document = get(front, path)
        assert document.content == b"from-django"
    assert [seen["path"] for seen in upstream.seen] == [
        "/media/documents/deliberation.pdf",
        "/media//documents/deliberation.pdf",
    ]


# What a file's response says differently from Django's, and why
# (docs/serving.md#serving-the-files).
OWN_TO_EACH = {
    "content-length",  # Django may stream; nginx knows the file's size
    "vary",  # the file varies by encoding only: nobody who has a session gets it
    "cache-control",  # no-cache with an ETag: revalidated on each view
    "etag",
    "last-modified",
    "accept-ranges",
    "date",
    "server",
    "connection",
}


def csp(value):
    return {
        directive.split()[0]: sorted(directive.split()[1:])
        for directive in value.split(";")
        if directive.strip()
    }


def test_a_page_from_the_files_carries_the_headers_django_sent_for_it(
    settings, communes, upstream, tmp_path
):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    hostname = communes[COMMUNE_A].hostname  # Bergerac
    django = host_client(hostname).get("/", secure=True)
    assert django.status_code == 200
    assert "Strict-Transport-Security" in django.headers
    nginx = Nginx(tmp_path, upstream.port)
    write_generation(
        nginx.baked_root, hostname, {"/": ("index.html", django["Content-Type"], django.content)}
    )
    nginx.start()
    try:
        response = nginx.request("GET", "/", hostname, {"X-Forwarded-Proto": "https"})
    finally:
        nginx.stop()
    assert upstream.seen == []
    assert response.content == django.content
    sent = {name.lower(): value for name, value in django.headers.items()}
    served = {name.lower(): value for name, value in response.getheaders()}
    assert csp(served.pop("content-security-policy")) == csp(sent.pop("content-security-policy"))
    for name in OWN_TO_EACH:
        sent.pop(name, None), served.pop(name, None)
    assert served == sent
    assert set(sent) >= {
        "content-type",
        "content-language",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "strict-transport-security",
    }


def test_when_django_redirects_plain_http_only_https_requests_get_the_files(
    settings, upstream, tmp_path
):
    settings.SECURE_SSL_REDIRECT = True
    nginx = Nginx(tmp_path, upstream.port)
    write_generation(nginx.baked_root, HOST, {"/": ("index.html", HTML, HOME.encode())})
    nginx.start()
    try:
        secure = nginx.request("GET", "/", HOST, {"X-Forwarded-Proto": "https"})
        plain = nginx.request("GET", "/", HOST, {"X-Forwarded-Proto": "http"})
        direct = nginx.request("GET", "/", HOST)
    finally:
        nginx.stop()
    assert secure.content.decode() == HOME
    assert plain.content == direct.content == b"from-django"
    assert [seen["headers"]["X-Forwarded-Proto"] for seen in upstream.seen] == ["http", "http"]


def test_a_public_policy_with_a_nonce_is_refused(settings):
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["style-src"] = ["'self'", NONCE]
    settings.CONTENT_SECURITY_POLICY = policy
    with pytest.raises(ImproperlyConfigured, match="nonce"):
        page_headers()


def test_the_configuration_the_image_ships_is_valid_nginx(tmp_path):
    call_command(
        "front_config",
        str(tmp_path),
        "--upstream=web:8000",
        "--resolver=127.0.0.11",
        f"--run-dir={tmp_path}",
        "--baked-root=/app/var/baked",
        stdout=StringIO(),
    )
    text = (tmp_path / "bastide.conf").read_text()
    assert "resolver 127.0.0.11" in text
    test = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert test.returncode == 0, test.stderr
