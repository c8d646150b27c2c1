"""The Démarches page without a section that provides the fiches: its own démarches only,
and no route below it pretends to serve a fiche."""

import pytest

from communes import sections
from conftest import COMMUNE_B, host_client


@pytest.fixture
def without_provider(monkeypatch):
    monkeypatch.setattr(sections, "_PROVIDERS", {})


def test_without_a_provider_the_page_lists_the_mairie_s_demarches_only(communes, without_provider):
    client = host_client(communes[COMMUNE_B].hostname)
    html = client.get("/demarches/").content.decode()
    assert "Traitées en mairie" in html and "Acte de naissance" in html
    assert 'class="demarches-theme"' not in html
    assert client.get("/demarches/F1341/").status_code == 404
    assert client.get("/demarches/themes/logement/").status_code == 404
    # The mairie's own pages are served as before.
    assert client.get("/demarches/acte-de-naissance/").status_code == 200


def test_a_provider_is_found_by_name(without_provider):
    assert sections.provider("demarches") is None
    marker = object()
    sections.provide("demarches", marker)
    assert sections.provider("demarches") is marker
