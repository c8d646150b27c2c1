"""What visitors find, on a commune's site and on the Pays portal, and what they never find."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from communes.models import CouncilMeetingPage, NewsPage, SiteDocument
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from directory.models import Category, ServiceEntry
from search import indexing, services
from search.engines import get_engine
from search.models import Promotion, SearchEntry
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_files import minimal_pdf

pytestmark = pytest.mark.usefixtures("search_engine")


def page(collectivite, key):
    return ProvisionedPage.objects.get(collectivite=collectivite, key=key).page.specific


def publish(parent, instance):
    parent.add_child(instance=instance)
    instance.save_revision().publish()
    return instance


def path(page_):
    return page_.get_url_parts()[2]


def titles(results):
    return [r.title for r in results.results]


@pytest.fixture
def indexed(communes, django_capture_on_commit_callbacks):
    """Three communes, some content in two of them, indexed through the signals and the
    background task the way publishing does it."""
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    with django_capture_on_commit_callbacks(execute=True):
        indexing.reindex()
        publish(
            page(a, "actualites"),
            NewsPage(
                title="Délibérations sur la cantine scolaire",
                slug="cantine",
                intro="<p>Le conseil a voté les nouveaux tarifs de la cantine.</p>",
            ),
        )
        publish(
            page(b, "actualites"),
            NewsPage(
                title="Horaires d'hiver de la déchetterie",
                slug="dechetterie",
                intro="<p>La déchetterie de Lalinde change ses horaires.</p>",
            ),
        )
        minutes = SiteDocument(title="Procès-verbal", collection_id=a.collection_id)
        minutes.file.save(
            "pv.pdf",
            ContentFile(minimal_pdf(["Seance du conseil", "Vote sur le xylographe communal"])),
            save=False,
        )
        minutes.save()
        publish(
            page(a, "conseil"),
            CouncilMeetingPage(
                title="Séance du 3 mars",
                slug="seance-3-mars",
                date=timezone.now() - datetime.timedelta(days=3),
                minutes=minutes,
            ),
        )
    return {"a": a, "b": b, "c": communes[COMMUNE_C], "minutes": minutes}


def test_french_words_are_found_whatever_their_accents_and_endings(indexed):
    a = indexed["a"]
    for typed in ("deliberation", "DÉLIBÉRATIONS", "délibérer", "cantines scolaires"):
        assert "Délibérations sur la cantine scolaire" in titles(
            services.search(typed, site=a.site)
        ), typed
    assert "Horaires d'hiver de la déchetterie" in titles(
        services.search("horaire dechetterie", site=indexed["b"].site)
    )


def test_horaires_on_a_commune_site_gives_its_mairie_first_and_nothing_of_the_others(indexed):
    a, b = indexed["a"], indexed["b"]
    results = services.search("horaires", site=a.site)
    assert results.results[0].title == "La mairie"
    assert results.results[0].url == path(page(a, "mairie"))
    own = set(SearchEntry.objects.filter(site=a.site).values_list("path", flat=True))
    assert {r.url for r in results.results} <= own
    assert "Horaires d'hiver de la déchetterie" not in titles(results)
    html = host_client(a.hostname).get("/search/", {"q": "horaires"}).content.decode()
    assert "La mairie" in html and "déchetterie" not in html
    assert services.search("horaires", site=b.site).results[0].title == "La mairie"


def test_a_word_only_inside_the_minutes_pdf_finds_the_meeting(indexed):
    a = indexed["a"]
    indexed["minutes"].refresh_from_db()
    assert "xylographe" in indexed["minutes"].text
    results = services.search("xylographe", site=a.site)
    assert titles(results)[:2] == ["Séance du 3 mars", "Procès-verbal"] or set(titles(results)) == {
        "Séance du 3 mars",
        "Procès-verbal",
    }
    document = next(r for r in results.results if r.kind == "document")
    assert document.url == indexed["minutes"].url and document.details["format"] == "PDF"
    # Read by the search's own statement, converted as the ORM reads them.
    meeting = next(r for r in results.results if r.kind == "meeting")
    stored = SearchEntry.objects.get(kind="meeting", title="Séance du 3 mars")
    assert meeting.date == stored.date and meeting.date.tzinfo is not None
    assert meeting.details == stored.details
    assert "<mark>xylographe</mark>" in next(
        r.snippet for r in results.results if r.kind == "meeting"
    )
    assert services.search("xylographe", site=indexed["b"].site).total == 0


def test_a_word_deep_in_a_long_pdf_is_found_and_shown_and_titles_rank_first(
    indexed, django_capture_on_commit_callbacks
):
    """Ranking reads only the start of a long text (PostgreSQL's rank vector): a word on the
    last page still finds its document and is shown in its snippet, and an entry having the
    word in its title comes first."""
    a = indexed["a"]
    filler = [
        f"Ligne {n} du registre des arretes de voirie et de stationnement" for n in range(150)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        registre = SiteDocument(title="Registre des arrêtés", collection_id=a.collection_id)
        registre.file.save(
            "registre.pdf",
            ContentFile(minimal_pdf([*filler, "Arrete sur le gyrophare du tracteur communal"])),
            save=False,
        )
        registre.save()
        publish(
            page(a, "actualites"),
            NewsPage(title="Le gyrophare du tracteur", slug="gyrophare", intro="<p>Nouveau.</p>"),
        )
    entry = SearchEntry.objects.get(key=f"document:{registre.pk}")
    assert entry.body.index("gyrophare") > 4000
    results = services.search("gyrophare", site=a.site)
    assert titles(results) == ["Le gyrophare du tracteur", "Registre des arrêtés"]
    assert "<mark>gyrophare</mark>" in results.results[1].snippet
    assert titles(services.search("gyrophares tracteurs", portal=True))[:2] == titles(results)


def test_drafts_private_expired_and_other_sites_are_never_returned(
    indexed, django_capture_on_commit_callbacks
):
    a, b = indexed["a"], indexed["b"]
    news = page(a, "actualites")
    with django_capture_on_commit_callbacks(execute=True):
        draft = NewsPage(title="Piscine brouillon", slug="brouillon", live=False)
        news.add_child(instance=draft)
        draft.save_revision()
        private = publish(news, NewsPage(title="Piscine réservée aux élus", slug="prive"))
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
        expired = publish(news, NewsPage(title="Piscine expirée", slug="expiree"))
        publish(page(b, "actualites"), NewsPage(title="Piscine de Lalinde", slug="piscine"))
        published = publish(news, NewsPage(title="Piscine ouverte", slug="ouverte"))
        # A published page with unpublished changes: visitors see the live version only.
        published.title = "Piscine fermée pour travaux"
        published.save_revision()
    # Its expiry date passed; the scheduler has not unpublished it yet.
    NewsPage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    SearchEntry.objects.filter(key=f"page:{expired.pk}").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    indexing.index_pages([expired.pk])

    on_a = titles(services.search("piscine", site=a.site))
    assert on_a == ["Piscine ouverte"]
    on_portal = titles(services.search("piscine", portal=True))
    assert sorted(on_portal) == ["Piscine de Lalinde", "Piscine ouverte"]
    assert "Piscine fermée pour travaux" not in titles(services.search("fermée", site=a.site))
    html = host_client(a.hostname).get("/search/", {"q": "piscine"}).content.decode()
    for hidden in ("brouillon", "réservée", "expirée", "Lalinde"):
        assert hidden not in html, hidden


def test_unpublishing_moving_and_making_private_update_the_index(
    indexed, django_capture_on_commit_callbacks
):
    a = indexed["a"]
    cantine = NewsPage.objects.get(slug="cantine")
    with django_capture_on_commit_callbacks(execute=True):
        cantine.unpublish()
    assert services.search("cantine", site=a.site).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        cantine.get_latest_revision().publish()
    assert services.search("cantine", site=a.site).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=page(a, "actualites"), restriction_type="password", password="x"
        )
    assert services.search("cantine", site=a.site).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=page(a, "actualites")).delete()
    assert services.search("cantine", site=a.site).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        NewsPage.objects.get(slug="cantine").delete()
    assert services.search("cantine", portal=True).total == 0


def test_portal_searches_the_whole_pays_with_facets_that_count_what_they_show(indexed):
    results = services.search("mairie", portal=True)
    assert results.total >= 3
    by_kind = {f.value: f.count for f in results.kinds}
    assert sum(by_kind.values()) == results.total
    for kind, count in by_kind.items():
        assert services.search("mairie", portal=True, kinds=[kind]).total == count
    names = {f.label for f in results.collectivites}
    assert {"Bergerac", "Lalinde", "Eymet"} <= names
    for facet in results.collectivites:
        narrowed = services.search("mairie", portal=True, collectivite_id=int(facet.value))
        assert narrowed.total == facet.count
        assert {r.collectivite for r in narrowed.results} == {facet.label}
    # Each facet counts with the other filter applied.
    a = indexed["a"]
    both = services.search("mairie", portal=True, kinds=["page"], collectivite_id=a.pk)
    assert both.total == next(f.count for f in both.kinds if f.value == "page")
    assert all(r.collectivite for r in results.results)


def test_results_page_is_paginated_and_accessible(indexed, django_capture_on_commit_callbacks):
    a = indexed["a"]
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(23):
            publish(page(a, "actualites"), NewsPage(title=f"Marché nocturne {n}", slug=f"m{n}"))
    client = host_client(a.hostname)
    first = services.search("marché nocturne", site=a.site)
    assert (first.total, first.pages, len(first.results)) == (23, 3, 10)
    last = services.search("marche nocturne", site=a.site, page=3)
    assert len(last.results) == 3 and last.first == 21
    html = client.get("/search/", {"q": "marché nocturne", "page": "2"}).content.decode()
    assert 'role="search"' in html and '<ol class="search-results" start="11">' in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "23 résultats pour « marché nocturne »" in html
    assert '<meta name="robots" content="noindex">' in html
    for bad in ("abc", "-4", "99999"):
        assert client.get("/search/", {"q": "marché", "page": bad}).status_code == 200
    english = client.get("/en/search/", {"q": "marché nocturne"}).content.decode()
    assert "23 results for" in english


def test_queries_are_capped_and_never_break_the_engine(indexed):
    a = indexed["a"]
    client = host_client(a.hostname)
    hostile = [
        "mairie " * 2000,
        'cantine" OR title:* NEAR(a b) ^ - ( ) * "',
        "x" * 5000,
        "'; DROP TABLE search_searchentry; --",
        "le la les de des",
        "\x00\u202e\ufffd",
        "",
    ]
    for q in hostile:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200, q
    assert SearchEntry.objects.exists()
    long = client.get("/search/", {"q": "cantine " * 100}).content.decode()
    assert "seuls ses 200 premiers caractères" in long
    only_stop_words = client.get("/search/", {"q": "le la de"}).content.decode()
    assert "au moins un mot significatif" in only_stop_words
    assert services.search('cantine" OR *', site=a.site).total == 1


def test_postgresql_searches_leave_no_planner_setting_behind(indexed):
    """Searches turn sequential scans off for their own statement only (the GIN index is
    faster for common words): afterwards, and after a search that failed, they are on."""
    if connection.vendor != "postgresql" or get_engine().name != "postgresql":
        pytest.skip("a setting of PostgreSQL's planner")

    def seqscan():
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            return cursor.fetchone()[0]

    assert services.search("mairie", portal=True).total
    assert seqscan() == "on"
    engine = get_engine()
    with pytest.raises(DatabaseError), transaction.atomic():
        engine._run("SELECT 1 / 0", [])
    assert seqscan() == "on"


def test_no_result_with_every_word_shows_those_with_some(indexed):
    results = services.search("cantine licorne", site=indexed["a"].site)
    assert results.any_word and "Délibérations sur la cantine scolaire" in titles(results)


def test_autocomplete_suggests_titles_of_this_site_only(indexed):
    a = indexed["a"]
    for typed in ("mai", "mairi", "la mair", "Mairie"):
        suggestions = services.suggest(typed, site=a.site)
        assert {"title": "La mairie", "url": path(page(a, "mairie"))} in suggestions, typed
    assert services.suggest("déchet", site=a.site) == []
    response = host_client(indexed["b"].hostname).get("/search/suggest/", {"q": "déchet"})
    assert response.json()["suggestions"][0]["title"] == "Horaires d'hiver de la déchetterie"
    assert services.suggest("d", site=a.site) == []


def test_directory_entries_of_the_commune_are_found_on_its_site(indexed):
    a, b = indexed["a"], indexed["b"]
    category = Category.objects.order_by("pk").first()
    entry = ServiceEntry.objects.create(
        name="Maison France services de Bergerac",
        category=category,
        commune=a,
        description="Aide aux démarches administratives en ligne.",
    )
    indexing.index_services([entry.pk])
    found = services.search("démarches administratives", site=a.site)
    assert "Maison France services de Bergerac" in titles(found)
    assert found.results[0].url.startswith(path(page(a, "services")))
    assert "Maison France services de Bergerac" not in titles(
        services.search("France services", site=b.site)
    )
    assert "Maison France services de Bergerac" in titles(
        services.search("france services", portal=True)
    )
    entry.status = ServiceEntry.Status.ARCHIVED
    entry.save()
    indexing.index_services([entry.pk])
    assert "Maison France services de Bergerac" not in titles(
        services.search("france services", portal=True)
    )


def test_pays_promotes_results_everywhere_or_on_one_site(indexed):
    a, b = indexed["a"], indexed["b"]
    Promotion.objects.create(
        keywords="carte grise, immatriculation",
        title="Carte grise : la démarche en ligne",
        url="https://immatriculation.ants.gouv.fr/",
    )
    Promotion.objects.create(
        keywords="cantine", title="Inscriptions à la cantine", page=page(a, "mairie"), site=a.site
    )
    Promotion.objects.create(
        keywords="cantine",
        title="Ancienne promotion",
        url="https://example.org/",
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert [p["title"] for p in services.search("Cartes grises", site=b.site).promotions] == [
        "Carte grise : la démarche en ligne"
    ]
    assert [p["title"] for p in services.search("cantine", site=a.site).promotions] == [
        "Inscriptions à la cantine"
    ]
    assert services.search("cantine", site=b.site).promotions == []
    assert services.search("carte", site=b.site).promotions == []
    html = host_client(b.hostname).get("/search/", {"q": "immatriculation"}).content.decode()
    assert "Recommandé" in html and "immatriculation.ants.gouv.fr" in html


def test_only_the_pays_team_manages_promoted_results(indexed):
    from django.test import Client

    secretary = member("secretaire", indexed["a"], "secretariat")
    client = Client(HTTP_HOST="pays.test")
    client.force_login(secretary)
    assert client.get("/admin/search-promotions/").status_code in (302, 403)
    from communes.models import Collectivite

    staff = member("equipe", Collectivite.objects.get(code="PAYS"), "equipe")
    client.force_login(staff)
    assert client.get("/admin/search-promotions/").status_code == 200
    assert client.get("/admin/search-promotions/new/").status_code == 200


def test_every_page_has_a_search_box_and_the_portal_one_searches_the_pays(indexed):
    a = indexed["a"]
    home = host_client(a.hostname).get("/").content.decode()
    assert 'action="/search/"' in home and 'role="search"' in home
    portal = host_client("pays.test").get("/search/", {"q": "horaires"}).content.decode()
    assert "Rechercher dans tout le Pays" in portal
    assert "Lalinde" in portal and "Bergerac" in portal


def test_reindex_command_rebuilds_everything_and_shows_progress(indexed, capsys):
    SearchEntry.objects.all().delete()
    call_command("reindex_search", "--extract")
    out = capsys.readouterr().out
    assert "pages" in out and "documents" in out and "Search index rebuilt" in out
    assert services.search("xylographe", site=indexed["a"].site).total == 2


def test_a_document_of_a_private_collection_is_not_found(indexed):
    from wagtail.models import CollectionViewRestriction

    a = indexed["a"]
    restriction = CollectionViewRestriction.objects.create(
        collection_id=a.collection_id, restriction_type="password", password="x"
    )
    indexing.update(documents=[indexed["minutes"].pk])
    assert [r.kind for r in services.search("xylographe", site=a.site).results] == ["meeting"]
    restriction.delete()
    indexing.update(documents=[indexed["minutes"].pk])
    assert services.search("xylographe", site=a.site).total == 2


def test_an_import_indexes_its_entries_and_forgets_those_it_archives(
    indexed, tmp_path, django_capture_on_commit_callbacks
):
    import json
    from pathlib import Path

    from directory.importers.annuaire import AnnuaireImporter
    from directory.services.imports import run_import

    bulk = Path(__file__).resolve().parents[2] / "directory/tests/files/annuaire/annuaire-bulk.json"
    document = json.loads(bulk.read_text())
    # Without its nameless record: a run that refuses one archives nothing.
    document["service"] = [r for r in document["service"] if r["id"] != "sans-nom-24037"]
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps(document))
    with django_capture_on_commit_callbacks(execute=True):
        run_import(AnnuaireImporter(), whole)
    caf = ServiceEntry.objects.get(external_id="caf-24037-01")
    assert caf.name in titles(services.search(caf.name, portal=True))

    document["service"] = [r for r in document["service"] if r["id"] != "caf-24037-01"]
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(document))
    with django_capture_on_commit_callbacks(execute=True):
        run_import(AnnuaireImporter(), smaller)
    assert caf.name not in titles(services.search(caf.name, portal=True))
