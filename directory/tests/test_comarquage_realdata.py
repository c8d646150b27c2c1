"""The comarquage importer on publications as the DILA publishes them (tests/files/realdata/):
nothing they say is lost, R publications are forms and online services, and every place a
fiche sends people to is either a directory category or named in the report."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from communes.models import Collectivite, DemarchePage
from conftest import COMMUNE_A, host_client
from directory.importers.comarquage import ComarquageImporter
from directory.models import Category, Fiche, ImportRun
from directory.services.imports import run_import

REAL = Path(__file__).resolve().parents[2] / "tests" / "files" / "realdata" / "comarquage"
PARTICULIERS = REAL / "particuliers"
ASSOCIATIONS = REAL / "associations"


def counts(report):
    return {k: v for k, v in report.counts.items() if v}


def import_(origin):
    report = run_import(ComarquageImporter(), origin)
    assert not report.file_error, report.file_error
    return report


@pytest.fixture
def published(db):
    """Both audiences of the real sample, as their publications would be imported."""
    return [import_(PARTICULIERS), import_(ASSOCIATIONS)]


def test_every_real_publication_is_imported_r_ones_included(published):
    particuliers, associations = published
    assert counts(particuliers) == {"created": 36}, particuliers.rejected
    assert counts(associations) == {"created": 11}, associations.rejected
    assert Fiche.objects.filter(fiche_id__startswith="R").count() == 11


def test_a_rerun_changes_nothing(published):
    again = [import_(PARTICULIERS), import_(ASSOCIATIONS)]
    assert [counts(report) for report in again] == [{"unchanged": 36}, {"unchanged": 11}]
    assert [r.notes for r in again] == [r.notes for r in published]


def test_national_contacts_are_kept_with_their_address_phone_and_link(published):
    contacts = {c["id"]: c for c in Fiche.objects.get(fiche_id="F10").contacts}
    decorations = contacts["R49924"]
    assert decorations["title"] == "Service des décorations de la préfecture de Paris"
    assert decorations["kind"] == "National" and decorations["pivot"] == ""
    assert "01 82 52 41 27" in decorations["html"] and "75911 PARIS cedex 15" in decorations["html"]
    assert "<p><strong>Par courrier (dépôt du dossier)</strong></p>" in decorations["html"]
    monnaie = contacts["R43709"]
    assert monnaie["url"] == "https://www.monnaiedeparis.fr/fr/a-paris/informations-pratiques"
    federation = contacts["R47661"]
    assert federation["source"] == "Fédération nationale des décorés du travail de France"
    assert "Pour vous faire aider dans vos démarches" in federation["html"]
    assert 'href="http://decores-du-travail.org/contact/"' in federation["html"]
    # Local ones keep their code, for the directory to resolve.
    local = [c for c in contacts.values() if c["pivot"]]
    assert local and {c["pivot"] for c in local} <= set(Fiche.objects.get(fiche_id="F10").pivots)


def test_a_contact_centre_keeps_its_phone_number(published):
    contact = Fiche.objects.get(fiche_id="F10007").contacts[0]
    assert contact["kind"] == "Centre de contact"
    assert "0 806 000 113" in contact["html"]


def test_a_theme_lists_its_sub_themes_and_dossiers(published):
    theme = Fiche.objects.get(fiche_id="N19810")
    assert theme.kind == "Theme" and theme.title == "Papiers - Citoyenneté"
    titles = [group["title"] for group in theme.outline]
    assert titles[:2] == ["État civil", "Identité - Authentification"] and "Voir aussi" in titles
    identity = theme.outline[1]
    assert {"id": "N358", "title": "Carte d'identité"} in identity["items"]
    body = BeautifulSoup(theme.body_html, "html.parser")
    assert [h.get_text() for h in body.find_all("h2")][:2] == titles[:2]
    link = body.find("a", string="Carte d'identité")
    assert link["href"] == "https://www.service-public.fr/particuliers/vosdroits/N358"


def test_a_fiche_lists_its_related_publications_but_not_its_parent_dossier(published):
    fiche = Fiche.objects.get(fiche_id="F1427")
    groups = {group["title"]: group["items"] for group in fiche.outline}
    assert list(groups) == ["Voir aussi", "Questions ? Réponses !"]
    assert {"id": "N358", "title": "Carte d'identité"} in groups["Voir aussi"]
    assert groups["Questions ? Réponses !"][0]["id"] == "F1429"
    body = BeautifulSoup(fiche.body_html, "html.parser")
    assert body.find("a", string="Carte d'identité")["href"].endswith("/vosdroits/N358")
    assert not body.find("a", string="Acte de mariage")  # a sibling in its dossier


def test_a_guided_search_keeps_its_questions_and_the_fiches_they_lead_to(published):
    guided = Fiche.objects.get(fiche_id="F35147")
    assert guided.kind == "Recherche guidée"
    body = BeautifulSoup(guided.body_html, "html.parser")
    assert body.find_all("h2") and body.find_all("li")
    assert body.find("a", href=lambda h: h and "/vosdroits/F" in h)
    assert guided.outline and all(group["items"] for group in guided.outline)


def test_table_summaries_and_online_service_descriptions_stay_in_the_body(published):
    fiche = Fiche.objects.get(fiche_id="F10871")
    assert (
        "<p>Ce tableau présente le coût maximal de l'opération immobilière servant de base"
        in fiche.body_html
    )
    assert "<caption>Calcul du PTZ\xa0: plafond du coût total de l'opération pris en compte" in (
        fiche.body_html
    )
    services = [s for f in Fiche.objects.all() for s in f.online_services if s["description"]]
    assert services, "no online service kept its description"
    described = Fiche.objects.get(fiche_id="F1119").online_services
    assert any("Accessible avec vos identifiants" in s["description"] for s in described)


def test_r_publications_are_forms_and_online_services(published):
    form = Fiche.objects.get(fiche_id="R10946")
    assert form.kind == "Formulaire" and form.cerfa == "12623*02"
    assert form.service_url == "https://www.formulaires.service-public.fr/gf/cerfa_12623.do"
    assert form.provider == "Ministère des solidarités et de la santé"
    assert form.description.startswith("Permet à une association de demander un agrément")
    assert "Ne permet pas de demander le renouvellement" in form.body_html
    annex = form.online_services[0]
    assert annex["cerfa"] == "12624*02" and annex["url"].endswith("cerfa_12624.do")
    assert {c["pivot"] for c in form.contacts} == {"", "ars"}
    service = Fiche.objects.get(fiche_id="R1329")
    assert service.kind == "Téléservice" and service.cerfa == ""
    assert service.service_url == "https://ma-demarche-fse.fr/si_fse/servlet/login.html"
    assert Fiche.objects.get(fiche_id="R10959").kind == "Modèle de document"


def test_a_fiche_names_the_r_publications_it_cites(published):
    fiche = Fiche.objects.get(fiche_id="F10864")
    assert "R3120" in fiche.related and "R2740" in fiche.related


def test_the_pivot_codes_of_the_fiches_map_to_categories_or_are_reported(published):
    mapped = {code for c in Category.objects.all() for code in c.service_public_types}
    assert {"centre_impots", "prefecture", "sous_pref", "mjd", "mairie", "caf", "cpam"} <= mapped
    assert {"pole_emploi", "france_travail", "gendarmerie", "commissariat_police"} <= mapped
    assert {"notaire", "tribunal"} <= mapped
    assert Category.objects.get(slug="prefecture").service_public_types[:2] == [
        "prefecture",
        "sous_pref",
    ]
    pivots = {code for f in Fiche.objects.all() for code in f.pivots}
    unmapped = sorted(pivots - mapped)
    assert unmapped, "the sample cites embassies, which the Pays does not list"
    particuliers = published[0]
    (note,) = particuliers.notes
    assert note.startswith("types de service local sans catégorie")
    cited = [f for f in Fiche.objects.all() if "ambassade_france_etranger" in f.pivots]
    particuliers_cited = [f for f in cited if f.sp_url.split("/")[3] == "particuliers"]
    assert f"ambassade_france_etranger ×{len(particuliers_cited)}" in note
    assert "centre_impots" not in note and " mairie " not in f" {note} "
    run = ImportRun.objects.filter(source="comarquage").order_by("started_at").first()
    assert note in run.message


# --- on the démarche page -------------------------------------------------------------------


@pytest.fixture
def tax_page(communes):
    import_(PARTICULIERS)
    import_(ASSOCIATIONS)
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    page = DemarchePage.objects.descendant_of(bergerac.home_page).get(source_fiche="F1427")
    page.source_fiche = "F10864"
    page.save_revision().publish()
    return page, host_client(bergerac.hostname)


def test_the_demarche_page_lists_the_forms_and_online_services_its_fiche_cites(tax_page):
    page, client = tax_page
    response = client.get(page.url)
    assert response.status_code == 200
    main = BeautifulSoup(response.content.decode(), "html.parser").find("main")
    section = main.find(id="fiche-en-ligne").parent
    assert section.find("h2").get_text() == "Formulaires et services en ligne"
    # R3120 is imported: its own title (without the « Téléservice : » prefix), link and text.
    space = section.find("a", href="https://cfspart.impots.gouv.fr/LoginMDP")
    assert space.get_text() == "Impôts\xa0: accéder à votre espace Particulier"
    item = " ".join(space.find_parent("li").get_text(" ").split())
    assert item.startswith("Téléservice :")
    assert Fiche.objects.get(fiche_id="R3120").description[:40] in item
    # R2740 is not in the sample: what the fiche says of it.
    assert section.find(
        "a", href="https://www3.impots.gouv.fr/simulateur/calcul_impot/2020/index.htm"
    )


def test_a_new_fiche_the_database_refuses_is_rejected_alone(db):
    from directory.importers.base import Rejected
    from directory.services.imports import FicheRecord, FicheWriter, ImportReport

    def record(fiche_id, title):
        return FicheRecord(fiche_id, {"title": title, "kind": "Fiche d'information"}, "")

    # Two records of one id reach the writer only if a parser lets them through: the batch
    # insert fails on the unique id, and is written again one by one.
    items = [record("F1", "Un"), record("F2", "Deux"), record("F1", "Un encore")]
    report = ImportReport("comarquage")
    FicheWriter().write(items + [Rejected("x.xml", "illisible")], report)
    assert counts(report) == {"created": 2, "rejected": 2}
    assert report.rejected[0] == "x.xml : illisible" and report.rejected[1].startswith("F1 : ")
    assert dict(Fiche.objects.values_list("fiche_id", "title")) == {"F1": "Un", "F2": "Deux"}
