"""Apertium's suggestion in the admin, for real (Debian's apertium-oci-fra, `make
apertium-deps`): « maison » gives « ostal »."""

import shutil

import pytest
from django.urls import reverse

from occitan.models import Entry
from occitan.tests.conftest import admin_client
from occitan.tests.test_review_workflow import ENTRY, EXPRESSION


@pytest.fixture
def apertium():
    """Never a silent skip: `make test` installs Apertium (bin/apertium-deps)."""
    if shutil.which("apertium") is None:
        pytest.fail("Apertium is missing: run `make apertium-deps` (as root)", pytrace=False)


needs_apertium = pytest.mark.usefixtures("apertium")
SUGGEST = "/admin/occitan/suggest/"


def test_the_url():
    assert reverse("occitan_suggest") == SUGGEST


@needs_apertium
def test_maison_gives_ostal_in_both_dialects(editors):
    writer = admin_client(editors["writer"])
    response = writer.get(SUGGEST, {"q": "maison"})
    assert response.status_code == 200
    data = response.json()
    assert data["notice"] == "suggestion automatique (Apertium) — à relire"
    by_mode = {s["mode"]: s for s in data["suggestions"]}
    assert set(by_mode) == {"fra-oci", "fra-oci_gascon"}
    assert "ostal" in by_mode["fra-oci"]["text"]
    assert "ostau" in by_mode["fra-oci_gascon"]["text"]
    # POST as well, and characters that mean something in HTML come back as typed.
    response = writer.post(SUGGEST, {"q": "la maison & le jardin <b>"})
    assert response.status_code == 200
    text = response.json()["suggestions"][0]["text"]
    assert "&amp;" not in text and "ostal" in text


def test_who_may_ask(editors):
    refused = admin_client(editors["secretary"]).get(SUGGEST, {"q": "maison"})
    assert refused.status_code == 403
    assert "suggestions" not in refused.json()
    anonymous = admin_client(editors["writer"])
    anonymous.logout()
    assert anonymous.get(SUGGEST, {"q": "maison"}).status_code == 302  # to the login


def test_bad_queries_get_a_clear_french_error(editors):
    writer = admin_client(editors["writer"])
    for query in ("", "   ", "x" * 201):
        response = writer.get(SUGGEST, {"q": query})
        assert response.status_code == 400
        assert response.json()["error"]
    assert writer.put(SUGGEST).status_code == 405


def test_apertium_missing_is_said(editors, settings):
    settings.APERTIUM_COMMAND = "apertium-absent-de-ce-serveur"
    response = admin_client(editors["reviewer"]).get(SUGGEST, {"q": "maison"})
    assert response.status_code == 503
    assert "Apertium n'est pas installé" in response.json()["error"]


def test_the_script_is_on_the_entry_and_expression_forms(editors):
    writer = admin_client(editors["writer"])
    entry = Entry.objects.create(slug="maison", french="maison", occitan="l'ostal")
    for url in (
        reverse(f"{ENTRY}:edit", args=[entry.pk]),
        reverse(f"{ENTRY}:add"),
        reverse(f"{EXPRESSION}:add"),
    ):
        body = writer.get(url).content.decode()
        assert 'src="/static/occitan/suggest.js' in body, url
        assert f'data-occitan-suggest="{SUGGEST}"' in body, url
        assert 'data-occitan-flag="id_machine_suggestion"' in body
    body = writer.get(reverse(f"{ENTRY}:add")).content.decode()
    assert "id_variant_gascon" in body and "fra-oci_gascon" in body
    # Not on the other forms of the section.
    body = writer.get(reverse("wagtailsnippets_occitan_theme:add")).content.decode()
    assert "occitan/suggest.js" not in body
