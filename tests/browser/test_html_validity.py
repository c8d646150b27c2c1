"""Every public page type passes the Nu HTML checker (vnu, the W3C validator, run locally
from the npm lock) with no error: the pages of test_page_types, the contact form, search,
the directory, the newcomers' guide and the page not found.

The HTML is fetched from the live server as a visitor gets it, then checked in one run of
the validator (one JVM start for every page). No heading appears twice on a page, and every
form field has a visible label.
"""

import http.client
import json
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from communes.models import Collectivite
from conftest import COMMUNE_A
from tests.browser.conftest import HERE, INSTALL_HINT
from tests.browser.test_page_types import page_types, provisioned

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VNU = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def fetch(world, hostname, path):
    connection = http.client.HTTPConnection("127.0.0.1", world.port, timeout=30)
    connection.request("GET", path, headers={"Host": f"{hostname}:{world.port}"})
    response = connection.getresponse()
    return response.status, response.read()


def vnu_errors(tmp_path, documents):
    java = shutil.which("java")
    if not java or not VNU.is_file():
        pytest.fail(f"The HTML check needs java and {VNU}: {INSTALL_HINT}", pytrace=False)
    files = {}
    for name, html in documents.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files[f"file:{path}"] = name
    run = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
        + [uri.removeprefix("file:") for uri in files],
        capture_output=True,
        check=False,
        timeout=300,
    )
    report = json.loads(run.stdout or b'{"messages": []}')
    errors = {}
    for message in report["messages"]:
        name = files.get(message.get("url"), message.get("url"))
        where = f"line {message.get('lastLine', '?')}"
        extract = " ".join((message.get("extract") or "").split())[:160]
        errors.setdefault(name, []).append(f"{where}: {message['message']} — {extract}")
    return errors


def fields_without_visible_label(html):
    """The form fields a sighted visitor cannot name: no <label>, or one that is only for
    screen readers. Fields hidden from everyone (honeypots) are left out."""
    soup = BeautifulSoup(html, "lxml")
    missing = []
    for field in soup.select("input, select, textarea"):
        if field.get("type") in ("hidden", "submit", "button", "reset", "image"):
            continue
        if field.find_parent(attrs={"hidden": True}) or field.find_parent(
            attrs={"aria-hidden": "true"}
        ):
            continue
        label = field.find_parent("label")
        if label is None and field.get("id"):
            label = soup.find("label", attrs={"for": field["id"]})
        if label is None or "visually-hidden" in (label.get("class") or []):
            missing.append(field.get("name") or field.get("id") or str(field)[:60])
    return missing


def test_every_public_page_type_is_valid_html(world, tmp_path):
    commune = Collectivite.objects.get(code=COMMUNE_A)
    pages = [(name, page.get_site().hostname, page.url) for name, page in page_types(world)]
    contact = provisioned(commune, "contact")
    pays = Collectivite.objects.get(code="PAYS")
    pages += [
        ("commune-contact", commune.hostname, contact.url),
        ("commune-recherche", commune.hostname, "/recherche/?q=conseil"),
        ("commune-recherche-vide", commune.hostname, "/recherche/"),
        ("portail-recherche", pays.hostname, "/recherche/?q=mairie"),
        ("commune-introuvable", commune.hostname, "/cette-page-n-existe-pas/"),
        ("portail-installez-vous", pays.hostname, "/installez-vous/"),
        ("commune-alertes", commune.hostname, "/alertes/"),
        ("portail-trouver-ma-commune", pays.hostname, "/communes/?q=24150"),
        ("portail-actualites", pays.hostname, "/agenda/?categorie=actualites"),
        ("portail-agenda-filtre-invalide", pays.hostname, "/agenda/?du=pas-une-date&epci=x"),
    ]
    pages.append(("commune-services", commune.hostname, provisioned(commune, "services").url))
    documents = {}
    for name, hostname, path in pages:
        status, html = fetch(world, hostname, path)
        assert status in (200, 400, 404), (name, path, status)
        documents[name] = html
        headings = [
            " ".join(h.get_text(" ", strip=True).split())
            for h in BeautifulSoup(html, "lxml").select("h1, h2, h3")
        ]
        repeated = {h for h in headings if headings.count(h) > 1}
        assert not repeated, f"{name} ({path}): headings appear twice: {sorted(repeated)}"
        unlabelled = fields_without_visible_label(html)
        assert not unlabelled, f"{name} ({path}): fields without a visible label: {unlabelled}"
    # The checker's own check: a broken document must come back with its error.
    documents["controle-invalide"] = b"<!doctype html><html lang=fr><title>x</title><p><div></p>"
    errors = vnu_errors(tmp_path, documents)
    assert "controle-invalide" in errors, "the Nu HTML checker did not run"
    del errors["controle-invalide"]
    assert not errors, "The Nu HTML checker found errors:\n" + "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in sorted(errors.items())
    )
