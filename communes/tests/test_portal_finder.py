"""« Trouver ma commune » on the portal: the finder's ranking on the shipped registry, its
results page without JavaScript, its suggestions, the A–Z list's letters and the grouping by
EPCI, all within the page budgets (docs/serving.md)."""

import pytest

from communes.models import Collectivite
from communes.services import finder
from conftest import COMMUNE_B


@pytest.fixture
def index(registry):
    """Every collectivité of the registry, provisioned or not, as the finder sees them."""
    rows = Collectivite.objects.members().select_related("site", "epci")
    return [finder.place_of(row) for row in rows]


def names(query, index):
    return [match.place.name for match in finder.find(query, index)]


def test_a_postcode_finds_its_communes_the_largest_first(index):
    found = names("24150", index)
    assert found[0] == "Lalinde"
    assert {"Baneuil", "Saint-Capraise-de-Lalinde", "Mauzac-et-Grand-Castang"} <= set(found)
    assert all("24150" in m.place.postcodes for m in finder.find("24150", index))


@pytest.mark.parametrize("query", ["lalinde", "LALINDE", "Lalïnde", "  Lalinde ", "lalinde 24150"])
def test_a_name_is_found_whatever_its_case_and_accents(index, query):
    assert names(query, index)[0] == "Lalinde"


def test_st_is_read_as_saint_and_hyphens_as_spaces(index):
    found = names("st cap", index)
    # Both begin so; the larger first.
    assert found[:2] == ["Saint-Capraise-de-Lalinde", "Saint-Capraise-d'Eymet"]
    assert names("st capraise de lalinde", index)[0] == "Saint-Capraise-de-Lalinde"
    assert names("saint capraise d eymet", index)[0] == "Saint-Capraise-d'Eymet"


def test_the_name_exactly_comes_before_names_that_contain_it(index):
    found = names("lalinde", index)
    assert found[0] == "Lalinde"
    assert "Saint-Capraise-de-Lalinde" in found


def test_an_address_finds_the_commune_it_names(index):
    assert names("2 rue de la Paix, 24150 Lalinde", index)[0] == "Lalinde"
    # The postcode narrows: the name inside an address of another postcode is not enough.
    assert "Lalinde" not in names("2 rue de la Paix, 24100 Lalinde", index)


def test_a_postcode_being_typed_proposes_its_communes(index):
    assert names("2415", index)[0] == "Lalinde"
    assert names("zzz", index) == []
    assert names("", index) == []
    assert names("12", index) == []


def test_a_former_commune_leads_to_the_commune_it_joined():
    place = finder.Place(
        name="Pressignac-Vicq",
        url="https://pressignac-vicq.example/",
        kind="commune",
        postcodes=("24150",),
        epci="",
        population=456,
        latitude=None,
        longitude=None,
        **finder._keys("Pressignac-Vicq", [{"code": "24999", "name": "Vicq", "type": "COMD"}]),
    )
    (match,) = finder.find("vicq", [place])
    assert match.place.name == "Pressignac-Vicq"
    assert match.via == "Vicq"


def test_the_results_page_works_without_javascript(communes, portal_client):
    response = portal_client.get("/communes/", {"q": "24150"})
    assert response.status_code == 200
    html = response.content.decode()
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    assert "Communes pour «\u00a024150\u00a0»" in html
    first = html.index('class="finder-first"')
    assert f'<a href="{lalinde.url}">Aller sur le site de Lalinde</a>' in html[first:]
    assert 'value="24150"' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_the_results_page_says_when_nothing_matches(communes, portal_client):
    html = portal_client.get("/communes/", {"q": "Paris"}).content.decode()
    assert "Aucune collectivité ne correspond à «\u00a0Paris\u00a0»." in html


def test_suggestions_are_json_and_lead_to_the_sites(communes, portal_client):
    response = portal_client.get("/communes/suggestions/", {"q": "lalin"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age" in response["Cache-Control"]
    first = response.json()["suggestions"][0]
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    assert first == {
        "name": "Lalinde",
        "url": lalinde.url,
        "postcodes": "24150",
        "epci": lalinde.epci.name,
    }
    assert portal_client.get("/communes/suggestions/").json() == {"suggestions": []}


def test_the_map_data_lists_the_collectivites_with_a_position(communes, portal_client):
    response = portal_client.get("/communes/carte/")
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    (feature,) = [f for f in features if f["properties"]["name"] == "Lalinde"]
    assert feature["geometry"]["coordinates"] == [lalinde.longitude, lalinde.latitude]
    assert feature["properties"]["url"] == lalinde.url


def test_the_portal_has_one_labelled_box_letters_and_epci_groups(communes, portal_client):
    html = portal_client.get("/").content.decode()
    assert '<label id="commune-q-label" for="commune-q">Trouver ma commune</label>' in html
    assert 'action="/communes/"' in html and 'name="q"' in html
    # Only letters that have a collectivité: B (Bergerac), E (Eymet), L (Lalinde)…
    assert '<a href="#lettre-B">B</a>' in html and 'id="lettre-B"' in html
    assert '<a href="#lettre-L">L</a>' in html and 'id="lettre-L"' in html
    assert 'href="#lettre-Z"' not in html
    # Grouped by EPCI, each group folded.
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    group = html.index(f"<summary>{lalinde.epci.name} ")
    assert html.index(f'<a href="{lalinde.url}">Lalinde</a>', group) > group
    # The map is offered, not loaded: its data and Leaflet are only named.
    assert 'data-geojson="/communes/carte/"' in html and "Afficher la carte" in html


@pytest.mark.parametrize(
    "path",
    ["/", "/communes/", "/communes/?q=lalinde", "/communes/suggestions/?q=24", "/communes/carte/"],
)
def test_portal_pages_cost_few_queries_cold_and_none_warm(
    communes, portal_client, path, django_assert_max_num_queries, django_assert_num_queries
):
    from serving.cache import bump_content_version

    bump_content_version()
    # The site's frame (menu, footer, banners), as any visitor's first page of the portal.
    assert portal_client.get("/plan-du-site/").status_code == 200
    with django_assert_max_num_queries(10):
        assert portal_client.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert portal_client.get(path).status_code == 200
