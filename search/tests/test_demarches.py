"""Démarches in the search: service-public.fr's fiches, indexed once for the Pays, are found
on every commune site and on the portal, each result leading to the fiche on the site
searched; a site's search still shows no other site's pages."""

import shutil
import zipfile
from pathlib import Path

import pytest

from communes.models import Collectivite, NewsPage
from conftest import COMMUNE_A, COMMUNE_B, host_client
from directory.importers.comarquage import ComarquageImporter
from directory.models import Fiche, ServiceEntry
from directory.services.imports import run_import
from search import indexing, services
from search.models import SearchEntry
from sitefactory.models import ProvisionedPage

pytestmark = pytest.mark.usefixtures("search_engine")

SAMPLES = Path(__file__).resolve().parents[2] / "directory" / "data" / "comarquage"
# What a visitor types, and the fiche (or the mairie's own page) that must answer it.
SEARCHES = {
    "carte d'identité": "Carte d'identité d'un majeur : première demande",
    "passeport": "Passeport d'un majeur : première demande",
    "acte de naissance": "Acte de naissance : demande de copie intégrale ou d'extrait",
    "permis de construire": "Permis de construire",
    "inscription sur les listes électorales": "Listes électorales : nouvelle inscription",
}


@pytest.fixture
def indexed(communes, django_capture_on_commit_callbacks):
    """The demo fiches imported, the index updated the way an import's end does it."""
    with django_capture_on_commit_callbacks(execute=True):
        indexing.reindex()
        report = run_import(ComarquageImporter(), SAMPLES)
    assert not report.rejected
    return communes


def site_of(code):
    return Collectivite.objects.get(code=code).site


def found(results, title):
    return next((r for r in results.results if r.title == title), None)


@pytest.mark.parametrize("code", [COMMUNE_A, COMMUNE_B])
@pytest.mark.parametrize("query", list(SEARCHES))
def test_each_demarche_is_found_on_a_commune_site_and_leads_to_its_fiche_there(
    indexed, code, query
):
    results = services.search(query, site=site_of(code))
    result = found(results, SEARCHES[query])
    assert result is not None, [r.title for r in results.results]
    assert result.kind == SearchEntry.Kind.DEMARCHE
    fiche_id = Fiche.objects.get(title=SEARCHES[query]).fiche_id
    # The fiche on that site, or the page its mairie has for it (the blueprint's four).
    pinned = {"F1427": "acte-de-naissance", "F1367": "listes-electorales", "F1986": "urbanisme"}
    expected = (
        f"/demarches/{pinned[fiche_id]}/" if fiche_id in pinned else f"/demarches/{fiche_id}/"
    )
    assert result.url == expected
    response = host_client(Collectivite.objects.get(code=code).hostname).get(result.url)
    assert response.status_code == 200


@pytest.mark.parametrize("query", list(SEARCHES))
def test_each_demarche_is_found_once_on_the_portal(indexed, pays, query):
    results = services.search(query, site=pays.site, portal=True)
    matches = [r for r in results.results if r.title == SEARCHES[query]]
    assert len(matches) == 1, [r.title for r in results.results]
    fiche_id = Fiche.objects.get(title=SEARCHES[query]).fiche_id
    assert matches[0].url == f"/demarches/{fiche_id}/"


def test_the_search_page_of_a_site_shows_the_fiche(indexed):
    client = host_client(Collectivite.objects.get(code=COMMUNE_B).hostname)
    html = client.get("/search/", {"q": "passeport"}).content.decode()
    assert 'href="/demarches/F14929/"' in html
    suggestions = client.get("/search/suggest/", {"q": "passep"}).json()
    assert {"title": SEARCHES["passeport"], "url": "/demarches/F14929/"} in suggestions[
        "suggestions"
    ]


def test_sharing_the_fiches_does_not_open_a_site_to_another_s_pages(
    indexed, django_capture_on_commit_callbacks
):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    news = ProvisionedPage.objects.get(collectivite=bergerac, key="actualites").page
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPage(title="Passeport : permanence du samedi", slug="passeport-samedi")
        news.add_child(instance=page)
        page.save_revision().publish()
    on_bergerac = services.search("passeport", site=bergerac.site)
    on_lalinde = services.search("passeport", site=site_of(COMMUNE_B))
    assert found(on_bergerac, "Passeport : permanence du samedi") is not None
    assert found(on_lalinde, "Passeport : permanence du samedi") is None
    assert found(on_lalinde, SEARCHES["passeport"]) is not None


def test_an_archived_fiche_leaves_the_index_with_the_next_import(
    indexed, django_capture_on_commit_callbacks, tmp_path
):
    folder = tmp_path / "vosdroits"
    shutil.copytree(SAMPLES, folder)
    (folder / "F1986.xml").unlink()
    archive = tmp_path / "vosdroits.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.glob("*.xml")):
            z.write(path, path.name)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(ComarquageImporter(), archive)
    assert Fiche.objects.get(fiche_id="F1986").status == ServiceEntry.Status.ARCHIVED
    assert not SearchEntry.objects.filter(key="fiche:F1986").exists()
    results = services.search("permis de construire", site=site_of(COMMUNE_B))
    assert found(results, "Permis de construire") is None
