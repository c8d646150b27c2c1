"""Security headers: the Content-Security-Policy of public pages and of the admin, and the
production settings that `check --deploy` inspects (HSTS, cookies, framing)."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from config.security_headers import origin_of
from conftest import COMMUNE_A, host_client

ROOT = Path(__file__).resolve().parent.parent
OSM = "https://tile.openstreetmap.org"


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_no_eval_and_no_plugins(directives):
    assert not any("'unsafe-eval'" in sources for sources in directives.values()), directives
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]


def assert_public_policy(response):
    assert response.status_code == 200
    directives = policy(response)
    assert_no_eval_and_no_plugins(directives)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert OSM in directives["img-src"]
    # No inline style at all: the site's theme tokens are a stylesheet (themes/stylesheet.py).
    assert directives["style-src"] == ["'self'"]
    html = response.content.decode()
    assert "<style" not in html and "nonce=" not in html
    assert re.search(r'<link rel="stylesheet" href="/theme/[0-9a-f]{16}\.css">', html)
    return response["Content-Security-Policy"]


@pytest.mark.django_db
def test_every_public_page_kind_has_the_strict_policy_and_the_admin_its_own(communes):
    commune = host_client(communes[COMMUNE_A].hostname)
    portal = host_client("pays.test")
    headers = [
        assert_public_policy(commune.get("/")),
        assert_public_policy(commune.get("/services/")),  # the directory, with its map
        assert_public_policy(commune.get("/contact/")),
        assert_public_policy(commune.get("/en/")),
        assert_public_policy(portal.get("/")),
        assert_public_policy(portal.get("/services/")),
        assert_public_policy(portal.get("/search/?q=mairie")),
    ]
    # One header for every public page: a baked page (a file) can carry it.
    assert len(set(headers)) == 1, headers
    missing = commune.get("/nulle-part/")
    assert missing.status_code == 404
    assert policy(missing)["script-src"] == ["'self'"]

    # What a browser does not render as a page gets no policy: on a PDF (a document) it
    # would break Chrome's viewer (crbug.com/271452).
    data = commune.get("/api/services.geojson")
    assert data.status_code == 200 and "json" in data["Content-Type"]
    assert "Content-Security-Policy" not in data

    login = portal.get("/admin/login/")
    assert login.status_code == 200
    admin = policy(login)
    assert_no_eval_and_no_plugins(admin)
    # Wagtail's inline scripts and style attributes (see ADMIN_CONTENT_SECURITY_POLICY).
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    # Its preview of a directory page shows the map.
    assert admin["img-src"] == ["'self'", "data:", "blob:", OSM]
    assert login["X-Frame-Options"] == "SAMEORIGIN"
    assert login["Referrer-Policy"] == "same-origin"
    assert login["Cross-Origin-Opener-Policy"] == "same-origin"
    assert login["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_image_hosts_follow_the_tile_and_media_settings(pays, settings):
    portal = host_client("pays.test")
    settings.DIRECTORY_TILE_URL = "https://{s}.tuiles.example.net/{z}/{x}/{y}.png"
    settings.MEDIA_URL = "https://medias.example.net/bastide/"
    img = policy(portal.get("/services/"))["img-src"]
    assert img == ["'self'", "https://medias.example.net", "https://*.tuiles.example.net"]
    assert policy(portal.get("/admin/login/"))["img-src"] == [
        "'self'",
        "data:",
        "blob:",
        "https://medias.example.net",
        "https://*.tuiles.example.net",
    ]

    # Tiles served by the site itself: 'self' says it all.
    settings.DIRECTORY_TILE_URL = "/tuiles/{z}/{x}/{y}.png"
    settings.MEDIA_URL = "/media/"
    assert policy(portal.get("/services/"))["img-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", OSM),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8080/t/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("//cdn.example.net/media/", "cdn.example.net"),
        ("/media/", None),
    ],
)
def test_origin_of_a_url_as_a_csp_source(url, origin):
    assert origin_of(url) == origin


TEMPLATE_DIRS = [
    ROOT / app / "templates"
    for app in (
        "alerts",
        "communes",
        "directory",
        "newcomers",
        "occitan",
        "photos",
        "search",
        "sitefactory",
        "themes",
    )
]


def test_public_templates_have_no_inline_script_or_style_attribute():
    """What the public policy would block: style and event attributes, inline scripts and
    <style> elements."""
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "/admin/" in str(path) or "bulk_actions" in str(path):
                continue  # admin templates: the admin's policy
            html = path.read_text(encoding="utf-8")
            for pattern in (
                r"\sstyle=",
                r"\son[a-z]+=",
                r"<script(?![^>]*\ssrc=)",
                r"<style",
                r"javascript:",
            ):
                found += [f"{path.relative_to(ROOT)}: {m}" for m in re.findall(pattern, html)]
    assert not found, "\n".join(found)


# --- production settings ---------------------------------------------------------------------


def production_env(**extra):
    """The environment of a fresh clone: no deployment variable, a throwaway secret key."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SECURE_", "DJANGO_", "SECRET_", "SESSION_", "CSRF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        **extra,
    )
    return env


def run(*args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def production_settings(**extra):
    names = [
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    ]
    code = (
        # The settings module alone (it imports no app code): no need to set up the apps.
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run("-c", code, env=production_env(**extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.long
def test_production_sends_hsts_for_a_year_to_every_site_by_default():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    # Sites are <slug>.PAYS_DOMAIN: the portal's header covers them all.
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "SAMEORIGIN"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    # The framing of the CSP and of X-Frame-Options say the same thing.
    frame_ancestors = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"]
    assert frame_ancestors == ["'self'"]

    assert production_settings(SECURE_HSTS_PRELOAD="1")["SECURE_HSTS_PRELOAD"] is True


@pytest.mark.long
def test_check_deploy_passes_on_the_production_settings_and_fails_without_hsts():
    check = ("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    result = run(*check, env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr

    result = run(*check, env=production_env(SECURE_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr
