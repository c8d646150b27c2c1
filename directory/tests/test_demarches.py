"""A commune site's Démarches: service-public.fr's themes and fiches served on every site,
« où s'adresser » resolved from the commune (the recording stations for identity papers),
and the démarches the mairie handles first, with its own notes."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from communes.models import Collectivite, DemarchePage, DemarchesIndexPage
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from directory.importers.comarquage import ComarquageImporter
from directory.models import Category, ServiceEntry
from directory.services.demarches import theme_of_subject
from directory.services.imports import run_import
from directory.services.stations import mark_recording_stations, nearest_stations, read_codes

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "comarquage"
STATIONS = SAMPLES.parent / "dispositifs-de-recueil-demo.txt"
STATIONS_LABEL = "Mairie équipée pour les cartes d'identité et les passeports"


@pytest.fixture
def fiches(communes):
    report = run_import(ComarquageImporter(), SAMPLES)
    assert not report.rejected, report.rejected
    return communes


def site_client(code):
    return host_client(Collectivite.objects.get(code=code).hostname)


def main_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser").find("main")


def mairie(code, station=False, **fields):
    commune = Collectivite.objects.get(code=code)
    return ServiceEntry.objects.create(
        name=f"Mairie de {commune.name}",
        category=Category.objects.get(slug="mairie"),
        commune=commune,
        city=commune.name,
        recording_station=station,
        **fields,
    )


def places_of(main):
    heading = main.find(id="fiche-ou-s-adresser")
    return heading.parent if heading else None


# --- the section -----------------------------------------------------------------------------


def test_a_fiche_belongs_to_the_theme_its_subject_names_first():
    assert theme_of_subject("Papiers - Citoyenneté") == "papiers-citoyennete"
    assert theme_of_subject("Logement, Secteurs d'activité") == "logement"
    assert theme_of_subject("Social - Santé") == "social-sante"
    assert theme_of_subject("Travail - Formation") == "travail"
    assert theme_of_subject("Financement et fiscalité d'une association, Argent") == ""
    assert theme_of_subject("") == ""


@pytest.mark.parametrize("code", [COMMUNE_A, COMMUNE_B])
def test_the_demarches_page_lists_the_themes_and_their_main_demarches(fiches, code):
    main = main_of(site_client(code).get("/demarches/"))
    themes = [h.get_text() for h in main.select("section.demarches-theme h2")]
    assert themes[:2] == ["Papiers - Citoyenneté", "Famille"]
    assert {"Logement", "Transports", "Social - Santé", "Argent"} <= set(themes)
    papers = main.find(id="theme-papiers-citoyennete").parent
    links = {a.get_text(): a["href"] for a in papers.find_all("a")}
    assert links["Carte d'identité d'un majeur : première demande"] == "/demarches/F1341/"
    assert links["Passeport d'un majeur : première demande"] == "/demarches/F14929/"
    # The blueprint's démarches are the mairie's own: listed first, and in place of the fiche.
    mairie_section = main.find(id="demarches-en-mairie").parent
    assert "Acte de naissance" in mairie_section.get_text()
    assert links["Acte de naissance : demande de copie intégrale ou d'extrait"] == (
        "/demarches/acte-de-naissance/"
    )
    # More fiches than shown: the theme's own page has them all.
    more = papers.find("a", href="/demarches/themes/papiers-citoyennete/")
    assert more is not None
    theme = main_of(site_client(code).get(more["href"]))
    assert "Actes d'état civil" in theme.get_text()


def test_a_fiche_is_served_on_each_site_with_its_theme_and_the_source(fiches):
    for code in (COMMUNE_A, COMMUNE_B):
        main = main_of(site_client(code).get("/demarches/F14929/"))
        assert main.find("h1").get_text() == "Passeport d'un majeur : première demande"
        assert main.find("a", href="/demarches/themes/papiers-citoyennete/")
        assert "Source : Service-Public.gouv.fr / DILA" in main.get_text()
    # Links to other fiches served here stay on the site.
    dossier = main_of(site_client(COMMUNE_B).get("/demarches/N358/"))
    assert dossier.find("a", href="/demarches/F1341/") is not None
    assert site_client(COMMUNE_B).get("/demarches/f1341/").status_code == 200


def test_an_unknown_or_archived_fiche_is_not_found(fiches):
    client = site_client(COMMUNE_B)
    assert client.get("/demarches/F99999/").status_code == 404
    assert client.get("/demarches/themes/astrologie/").status_code == 404
    from directory.models import Fiche

    Fiche.objects.get(fiche_id="F1050").save()  # the content version moves
    Fiche.objects.filter(fiche_id="F1050").update(status=ServiceEntry.Status.ARCHIVED)
    Fiche.objects.get(fiche_id="F1050").save()
    assert client.get("/demarches/F1050/").status_code == 404


def test_the_portal_serves_the_fiches_too(fiches, portal_client):
    main = main_of(portal_client.get("/demarches/"))
    assert "Carte d'identité d'un majeur : première demande" in main.get_text()
    mairie(COMMUNE_A, station=True)
    main = main_of(portal_client.get("/demarches/F1986/"))
    assert main.find("h1").get_text() == "Permis de construire"
    # No commune to be near: no local place, rather than « none near the commune »; only the
    # fiche's national contacts (the CAUE's network, for a building permit).
    places = places_of(main)
    assert "Aucun lieu" not in places.get_text()
    assert not [a for a in places.find_all("a") if a["href"].startswith("/services/")]
    assert places.find("a", string=lambda s: s and "CAUE" in s) is not None
    assert main.find("a", href="/communes/", string="Trouver ma commune") is not None
    passport = places_of(main_of(portal_client.get("/demarches/F14929/")))
    assert passport is None or "Aucun lieu" not in passport.get_text()
    assert passport is None or not passport.find("a", href=lambda h: h.startswith("/services/"))


# --- où s'adresser ----------------------------------------------------------------------------


def test_identity_papers_go_to_the_nearest_recording_stations_not_to_every_mairie(fiches):
    mairie(COMMUNE_A, station=True)  # Bergerac
    mairie(COMMUNE_B)  # Lalinde: a mairie, no station in this test
    mairie(COMMUNE_C, station=True)  # Eymet
    places = places_of(main_of(site_client(COMMUNE_B).get("/demarches/F1341/")))
    text = places.get_text()
    assert STATIONS_LABEL in text
    names = [a.get_text() for a in places.find_all("a") if a["href"].startswith("/services/")]
    assert names == ["Mairie de Bergerac", "Mairie de Eymet"]
    assert "Mairie de Lalinde" not in names
    assert "km" in text

    # A démarche any mairie handles is the commune's own mairie (on the page the blueprint
    # gives Lalinde for it).
    response = site_client(COMMUNE_B).get("/demarches/F1986/", follow=True)
    assert response.redirect_chain == [("/demarches/urbanisme/", 302)]
    places = places_of(main_of(response))
    assert "Mairie de Lalinde" in places.get_text()
    assert "Mairie de Bergerac" not in places.get_text()


def test_the_nearest_stations_are_measured_from_the_commune_centre(fiches):
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    mairie(COMMUNE_A, station=True)
    mairie(COMMUNE_C, station=True)
    found = nearest_stations(lalinde.latitude, lalinde.longitude)
    assert [e.commune.code for e in found] == [COMMUNE_A, COMMUNE_C]
    assert 0 < found[0].distance_km < found[1].distance_km < 60
    # A station of the commune itself comes first, at its door.
    ServiceEntry.objects.filter(commune__code=COMMUNE_C).update(recording_station=False)
    mairie(COMMUNE_B, station=True)
    assert [e.commune.code for e in nearest_stations(lalinde.latitude, lalinde.longitude)] == [
        COMMUNE_B,
        COMMUNE_A,
    ]


def test_without_any_station_the_visitor_is_told_so(fiches):
    mairie(COMMUNE_B)
    places = places_of(main_of(site_client(COMMUNE_B).get("/demarches/F14929/")))
    assert STATIONS_LABEL in places.get_text()
    assert "Aucun lieu de ce type n'est référencé près de la commune." in places.get_text()


def test_the_demo_list_marks_the_mairies_and_an_import_keeps_the_flag(fiches):
    assert read_codes(STATIONS) == [COMMUNE_A, COMMUNE_B]
    bergerac, eymet = mairie(COMMUNE_A), mairie(COMMUNE_C)
    assert mark_recording_stations(read_codes(STATIONS)) == 1
    bergerac.refresh_from_db()
    eymet.refresh_from_db()
    assert bergerac.recording_station and not eymet.recording_station
    assert mark_recording_stations(read_codes(STATIONS)) == 0  # idempotent


# --- the mairie's own démarches ---------------------------------------------------------------


def lalinde_demarches():
    home = Collectivite.objects.get(code=COMMUNE_B).home_page
    return DemarchesIndexPage.objects.child_of(home).get()


def test_a_pinned_demarche_comes_first_with_the_local_notes_and_takes_the_fiche_s_place(fiches):
    index = lalinde_demarches()
    pinned = DemarchePage(
        title="Passeport",
        slug="passeport",
        category="etat-civil",
        source_fiche="F14929",
        summary="Sur rendez-vous à la mairie.",
        local_specifics="<p>Rendez-vous le mardi matin, au 05 53 61 00 00.</p>",
    )
    index.add_child(instance=pinned)
    pinned.save_revision().publish()
    client = site_client(COMMUNE_B)

    main = main_of(client.get("/demarches/"))
    assert "Passeport" in main.find(id="demarches-en-mairie").parent.get_text()
    papers = main.find(id="theme-papiers-citoyennete").parent
    link = papers.find("a", string="Passeport d'un majeur : première demande")
    assert link["href"] == "/demarches/passeport/"
    assert "traitée en mairie" in link.parent.get_text()

    response = client.get("/demarches/F14929/")
    assert response.status_code == 302 and response["Location"] == "/demarches/passeport/"
    page = main_of(client.get("/demarches/passeport/"))
    assert "Traitée en mairie" in page.get_text()
    assert "Rendez-vous le mardi matin" in page.get_text()
    # The fiche itself is still shown below the mairie's notes.
    assert "Source : Service-Public.gouv.fr / DILA" in page.get_text()

    # Only on Lalinde's site: Bergerac still serves the fiche.
    other = site_client(COMMUNE_A).get("/demarches/F14929/")
    assert other.status_code == 200


def test_a_secretary_edits_her_own_demarches_only(fiches):
    secretary = member(
        "secretaire-lalinde", Collectivite.objects.get(code=COMMUNE_B), "secretariat"
    )
    own = lalinde_demarches()
    bergerac_home = Collectivite.objects.get(code=COMMUNE_A).home_page
    other = DemarchesIndexPage.objects.child_of(bergerac_home).get()
    assert own.permissions_for_user(secretary).can_add_subpage()
    assert not other.permissions_for_user(secretary).can_add_subpage()
    assert not other.permissions_for_user(secretary).can_edit()
    pinned = DemarchePage.objects.child_of(other).first()
    assert not pinned.permissions_for_user(secretary).can_edit()

    client = host_client(Collectivite.objects.get(code="PAYS").hostname)
    client.force_login(secretary)
    # Another commune's pages are not hers: refused, or not even found.
    assert client.get(f"/admin/pages/{pinned.pk}/edit/").status_code in (302, 403, 404)
    add = f"/admin/pages/add/communes/demarchepage/{other.pk}/"
    assert client.get(add).status_code in (302, 403, 404)
    own_child = DemarchePage.objects.child_of(own).first()
    assert client.get(f"/admin/pages/{own_child.pk}/edit/").status_code == 200


# --- serving budget --------------------------------------------------------------------------


def test_a_fiche_costs_at_most_ten_queries_once_warm(fiches, django_assert_max_num_queries):
    mairie(COMMUNE_A, station=True)
    mairie(COMMUNE_B)
    client = site_client(COMMUNE_B)
    for path in ("/demarches/", "/demarches/F1341/", "/demarches/themes/logement/"):
        assert client.get(path).status_code == 200, path
        assert client.get(path).status_code == 200, path
        with django_assert_max_num_queries(10):
            assert client.get(path).status_code == 200, path


# --- the flag in the admin --------------------------------------------------------------------


def test_the_station_is_ticked_in_the_admin_and_an_import_keeps_it(communes, tmp_path):
    from django.urls import reverse

    from directory.importers.annuaire import AnnuaireImporter
    from directory.tests.test_admin import FILES, edit_data

    bulk = FILES / "annuaire" / "annuaire-bulk.json"
    run_import(AnnuaireImporter(), bulk)
    secretary = member("sec-bergerac", Collectivite.objects.get(code=COMMUNE_A), "secretariat")
    client = host_client(Collectivite.objects.get(code="PAYS").hostname)
    client.force_login(secretary)
    entry = ServiceEntry.objects.get(external_id="mairie-24037-01")
    url = reverse("wagtailsnippets_directory_serviceentry:edit", args=[entry.pk])
    assert "Dispositif de recueil (CNI, passeports)" in client.get(url).content.decode()
    response = client.post(url, edit_data(entry, recording_station="on"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.recording_station and entry.locked_fields == []
    listing = reverse("wagtailsnippets_directory_serviceentry:list")
    assert (
        "Mairie - Bergerac" in client.get(listing, {"recording_station": "true"}).content.decode()
    )
    assert (
        "Mairie - Bergerac"
        not in client.get(listing, {"recording_station": "false"}).content.decode()
    )

    # The source changes the mairie: the import updates it and leaves the flag alone.
    changed = tmp_path / "annuaire.json"
    changed.write_text(
        bulk.read_text(encoding="utf-8").replace('"Mairie - Bergerac"', '"Mairie de Bergerac"'),
        encoding="utf-8",
    )
    report = run_import(AnnuaireImporter(), changed)
    assert report.counts["updated"] == 1, report.counts
    entry.refresh_from_db()
    assert entry.name == "Mairie de Bergerac" and entry.recording_station
