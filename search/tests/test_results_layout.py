"""The results page's layout on a phone's terms: the results first, the filters after them
with the Pays' collectivités folded, and no reference to an element the page lacks."""

import re

import pytest

from conftest import COMMUNE_A, host_client
from search import indexing

pytestmark = pytest.mark.usefixtures("search_engine")


@pytest.fixture
def indexed(communes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        indexing.reindex()
    return communes


def test_on_the_portal_the_results_come_first_and_the_communes_are_folded(indexed, portal_client):
    html = portal_client.get("/search/", {"q": "mairie"}).content.decode()
    assert html.index('<ol class="search-results"') < html.index('id="filtres"')
    assert '<p class="search-jump"><a href="#filtres">Filtrer les résultats</a></p>' in html
    folded = html.index('<details class="search-facet-communes">')
    assert re.search(r"<summary>Filtrer par commune \(\d+ collectivités?\)</summary>", html)
    assert html.index("Toutes", folded) > folded


def test_a_chosen_commune_keeps_its_filter_open(indexed, portal_client):
    html = portal_client.get("/search/", {"q": "mairie"}).content.decode()
    link = re.search(r'href="(\?[^"]*collectivite=\d+[^"]*)"', html).group(1)
    narrowed = portal_client.get("/search/" + link.replace("&amp;", "&")).content.decode()
    assert '<details class="search-facet-communes" open>' in narrowed


@pytest.mark.parametrize("query", [{}, {"q": "mairie"}, {"q": "zzzzzz"}, {"q": "le"}])
def test_every_aria_describedby_names_an_element_of_the_page(indexed, pays, query):
    for client in (host_client(pays.hostname), host_client(indexed[COMMUNE_A].hostname)):
        html = client.get("/search/", query).content.decode()
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        assert described
        for name in " ".join(described).split():
            assert f'id="{name}"' in html, name
