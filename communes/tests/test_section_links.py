"""Links the sections add to every site's footer (communes.sections.add_link): shown when
their address is known, left out when it is None, none at all without a section."""

from collections import defaultdict

import pytest

from communes import sections
from conftest import COMMUNE_B, host_client
from serving.cache import bump_content_version


@pytest.fixture
def no_links(monkeypatch):
    monkeypatch.setattr(sections, "_LINKS", defaultdict(list))


def test_links_are_shown_in_order_and_none_leaves_one_out(no_links):
    sections.add_link("footer", "Un", lambda page: "/un/")
    sections.add_link("footer", "Rien", lambda page: None)
    sections.add_link("footer", "Deux", lambda page: "https://pays.test/deux/")
    assert sections.links("footer", object()) == [
        {"label": "Un", "url": "/un/"},
        {"label": "Deux", "url": "https://pays.test/deux/"},
    ]
    assert sections.links("home", object()) == []


def test_the_footer_shows_them_under_the_pays(communes, no_links):
    client = host_client(communes[COMMUNE_B].hostname)
    assert "échelle du Pays" not in client.get("/").content.decode()
    sections.add_link("footer", "Essai", lambda page: "https://pays.test/essai/")
    # Sections register their links at start-up; one added between two requests, as here,
    # finds the footer already kept for this content version.
    bump_content_version()
    footer = client.get("/").content.decode().split('<footer class="site-footer"', 1)[1]
    assert '<nav aria-label="À l\'échelle du Pays">' in footer
    assert '<li><a href="https://pays.test/essai/">Essai</a></li>' in footer
