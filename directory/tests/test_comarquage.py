"""The comarquage importer (service-public.fr fiches) and the fiches on démarche pages.

The four real samples import once, and a second time change nothing; a file that is hostile,
broken or in the wrong encoding has the whole input refused, with nothing written."""

import datetime
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from communes.models import Collectivite, DemarchePage
from conftest import COMMUNE_A, COMMUNE_B, host_client
from directory.importers.comarquage import ComarquageImporter
from directory.models import Category, Fiche, ImportRun, ServiceEntry
from directory.services.imports import run_import
from directory.templatetags.directory_fiches import fiche_for, fiche_html, where_to_go
from parsing import safexml
from serving.pages import restricted_paths, site_for_page, site_root_paths

FILES = Path(__file__).parent / "files" / "comarquage"
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "comarquage"
# The shipped demo fiches (directory/data/comarquage/README.md lists them).
SAMPLE_IDS = sorted(path.stem for path in SAMPLES.glob("*.xml"))
N = len(SAMPLE_IDS)
ALLOWED_TAGS = {
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "table",
    "caption",
    "tr",
    "th",
    "td",
    "strong",
    "a",
}


def counts(report):
    return {k: v for k, v in report.counts.items() if v}


def import_(origin, **kwargs):
    return run_import(ComarquageImporter(), origin, **kwargs)


def make_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for member in members:
            archive.write(member, member.name)
    return path


def fiches():
    return dict(Fiche.objects.values_list("fiche_id", "import_hash"))


# --- importing ------------------------------------------------------------------------------


def test_the_samples_import_once_then_are_unchanged(db):
    report = import_(SAMPLES)
    assert counts(report) == {"created": N}, report.rejected
    assert sorted(fiches()) == SAMPLE_IDS

    fiche = Fiche.objects.get(fiche_id="F1427")
    assert fiche.title == "Acte de naissance : demande de copie intégrale ou d'extrait"
    assert fiche.kind == "Fiche d'information"
    assert fiche.subject == "Papiers - Citoyenneté"
    assert fiche.modified == datetime.date(2019, 11, 26)
    assert fiche.sp_url == "https://www.service-public.fr/particuliers/vosdroits/F1427"
    assert fiche.pivots == ["mairie"]
    assert {
        "id": "R1406",
        "title": "Demande d'acte de naissance\xa0: copie intégrale ou extrait (naissance en "
        "France) - Service gratuit",
        "url": "https://psl.service-public.fr/mademarche/EtatCivil/demarche?action=NAISSANCE",
    }.items() <= next(s for s in fiche.online_services if s["id"] == "R1406").items()
    assert "<h2>Né(e) en France</h2><h3>De quoi s'agit-il\xa0?</h3>" in fiche.body_html
    assert (
        '<a href="https://www.service-public.fr/particuliers/vosdroits/F1429">'
        "mentions marginales</a>" in fiche.body_html
    )
    assert "<strong>mairie du lieu de naissance</strong>" in fiche.body_html
    assert "<p><strong>À savoir :</strong> en cas de doute" in fiche.body_html
    # A dossier lists its fiches as links.
    dossier = Fiche.objects.get(fiche_id="N359")
    assert '/vosdroits/F1444">Acte de décès</a></li>' in dossier.body_html

    again = import_(SAMPLES)
    assert counts(again) == {"unchanged": N}
    run = ImportRun.objects.filter(source="comarquage").first()
    assert run.result == ImportRun.Result.DONE and run.counts["unchanged"] == N


def test_the_samples_import_from_a_zip_as_from_the_folder(db, tmp_path):
    archive = make_zip(tmp_path / "vosdroits.zip", sorted(SAMPLES.glob("*.xml")))
    assert counts(import_(archive)) == {"created": N}
    assert counts(import_(SAMPLES)) == {"unchanged": N}
    assert counts(import_(archive)) == {"unchanged": N}


def test_the_whole_publication_archives_the_fiches_it_no_longer_has(db, tmp_path):
    everything = sorted(SAMPLES.glob("*.xml"))
    assert counts(import_(make_zip(tmp_path / "full.zip", everything))) == {"created": N}
    # A few files are not the publication: they archive nothing.
    assert counts(import_(SAMPLES / "F1427.xml")) == {"unchanged": 1}
    smaller = make_zip(tmp_path / "smaller.zip", [p for p in everything if p.stem != "F1342"])
    assert counts(import_(smaller)) == {"unchanged": N - 1, "archived": 1}
    assert Fiche.objects.get(fiche_id="F1342").status == "archived"
    assert counts(import_(make_zip(tmp_path / "again.zip", everything))) == {
        "unchanged": N - 1,
        "updated": 1,
    }
    assert Fiche.objects.get(fiche_id="F1342").status == "active"


def test_a_changed_fiche_is_the_only_one_updated(db, tmp_path):
    import_(SAMPLES)
    before = fiches()
    folder = tmp_path / "vosdroits"
    shutil.copytree(SAMPLES, folder)
    path = folder / "F1342.xml"
    path.write_bytes(path.read_bytes().replace(b"<dc:title>", b"<dc:title>Nouveau : ", 1))

    report = import_(folder)
    assert counts(report) == {"updated": 1, "unchanged": N - 1}
    assert Fiche.objects.get(fiche_id="F1342").title.startswith("Nouveau : Carte d'identité")
    after = fiches()
    assert {k for k in after if after[k] != before[k]} == {"F1342"}


def test_a_dry_run_writes_nothing(db):
    report = import_(SAMPLES, dry_run=True)
    assert counts(report) == {"created": N}
    assert report.dry_run and "rien n'a été enregistré" in report.summary
    assert not Fiche.objects.exists()


def test_fiches_without_id_or_title_are_rejected_and_the_others_imported(db, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("no-title.xml", "no-id.xml", "F90005.xml"):
        shutil.copy(FILES / name, folder)
    report = import_(folder)
    assert counts(report) == {"created": 1, "rejected": 2}
    assert sorted(report.rejected) == [
        "no-id.xml : la publication n'a pas d'identifiant (ID)",
        "no-title.xml : la publication F90004 n'a pas de titre",
    ]


def test_the_same_fiche_twice_in_one_input_is_rejected_the_second_time(db, tmp_path):
    copy = tmp_path / "copie-F1427.xml"
    copy.write_bytes((SAMPLES / "F1427.xml").read_bytes())
    archive = make_zip(tmp_path / "twice.zip", [SAMPLES / "F1427.xml", copy])
    report = import_(archive)
    assert counts(report) == {"created": 1, "rejected": 1}
    assert "F1427 est présente deux fois" in report.rejected[0]


# --- refusing whole inputs ----------------------------------------------------------------------


def assert_refused(report, name, *words):
    assert report.file_error, "the input was not refused"
    assert name in report.file_error, report.file_error
    for word in words:
        assert word in report.file_error, report.file_error
    assert ImportRun.objects.filter(source="comarquage").first().result == "rejected"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("xxe.xml", ["<!DOCTYPE>", "XXE"]),
        ("billion-laughs.xml", ["<!DOCTYPE>"]),
        ("external-dtd.xml", ["<!DOCTYPE>"]),
        ("truncated.xml", ["n'est pas un XML bien formé", "tronqué"]),
        ("latin1-declared-utf8.xml", ["n'est pas encodé en UTF-8", "Latin-1", "ligne 3"]),
    ],
)
def test_a_hostile_or_broken_file_is_refused_and_nothing_changes(db, tmp_path, name, words):
    import_(SAMPLES)
    before = fiches()
    folder = tmp_path / "vosdroits"
    shutil.copytree(SAMPLES, folder)
    path = folder / "F1342.xml"
    path.write_bytes(path.read_bytes().replace(b"<dc:title>", b"<dc:title>Nouveau : ", 1))
    shutil.copy(FILES / name, folder)

    report = import_(folder)
    assert_refused(report, name, *words)
    assert report.counts == dict.fromkeys(report.counts, 0)
    assert fiches() == before  # not even the changed F1342
    assert "passwd" not in "".join(Fiche.objects.values_list("body_html", flat=True))


def test_one_hostile_member_of_a_zip_refuses_the_whole_zip(db, tmp_path):
    members = [*sorted(SAMPLES.glob("*.xml")), FILES / "xxe.xml"]
    report = import_(make_zip(tmp_path / "vosdroits.zip", members))
    assert_refused(report, "xxe.xml", "<!DOCTYPE>")
    assert not Fiche.objects.exists()


def test_a_file_over_the_size_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(safexml, "MAX_BYTES", 10_000)
    report = import_(SAMPLES / "F1427.xml")
    assert_refused(report, "F1427.xml", "dépasse la taille permise")
    assert not Fiche.objects.exists()


def test_a_file_nested_too_deep_is_refused(db, tmp_path):
    depth = safexml.MAX_DEPTH + 5
    path = tmp_path / "deep.xml"
    opening, closing = "<Liste><Item>" * depth, "</Item></Liste>" * depth
    path.write_text(f'<Publication ID="F90007"><Texte>{opening}x{closing}</Texte></Publication>')
    assert_refused(import_(path), "deep.xml", "imbriqués")


@pytest.mark.parametrize("name", ["xxe.xml", "billion-laughs.xml", "external-dtd.xml"])
def test_the_parser_refuses_a_dtd_even_when_the_text_scan_misses_it(monkeypatch, name):
    monkeypatch.setattr(safexml, "MARKUP_DECLARATION", re.compile(r"(?!x)x"))
    with pytest.raises(safexml.ImportFileError, match="DTD|bien formé") as refused:
        safexml.parse((FILES / name).read_bytes(), name)
    assert "root:" not in str(refused.value)


def test_a_false_encoding_declaration_does_not_hide_a_doctype(db, tmp_path):
    data = (FILES / "xxe.xml").read_bytes().replace(b'"UTF-8"', b'"UTF-16"')
    path = tmp_path / "utf16.xml"
    path.write_bytes(data + b" " * (len(data) % 2))  # whole UTF-16 code units: it decodes
    assert_refused(import_(path), "utf16.xml", "<!DOCTYPE>")


def test_a_latin1_file_that_says_so_is_read(db, tmp_path):
    data = (FILES / "latin1-declared-utf8.xml").read_bytes()
    path = tmp_path / "F90006.xml"
    path.write_bytes(data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'))
    assert counts(import_(path)) == {"created": 1}
    assert Fiche.objects.get(fiche_id="F90006").title == "Déclaration de naissance à la mairie"


# --- what the HTML may contain ------------------------------------------------------------------


def test_the_body_is_plain_html_with_nothing_active(db):
    assert counts(import_(FILES / "F90005.xml")) == {"created": 1}
    fiche = Fiche.objects.get(fiche_id="F90005")
    body = fiche.body_html
    assert "<script" not in body and "<img" not in body and "javascript:" not in body
    assert "Texte &lt;img src=x onerror=alert(1)&gt; et lien piégé," in body
    assert '<a href="https://www.example.org/?a=1&amp;b=&quot;2&quot;">lien sûr</a>' in body
    assert "onclick" not in body.replace("&quot; onclick=&quot;", "")
    assert "lien interne piégé" in body and 'href="F1427' not in body
    assert '/professionnels-entreprises/vosdroits/F1429">mention</a>.' in body
    assert (
        "<table><caption>Tarifs</caption><tr><th><p>Âge</p></th><th><p>Prix</p></th></tr>"
        "<tr><td><p>Mineur</p></td><td><p>Gratuit</p></td></tr></table>" in body
    )
    assert "<ol><li>Un</li><li>Deux</li></ol>" in body
    assert "<h3></h3>" not in body and "<h3> </h3>" not in body
    assert fiche.title == "Titre <script>alert(1)</script>"  # text, escaped where shown
    assert fiche.sp_url == "https://www.service-public.fr/particuliers/vosdroits/F90005"
    assert fiche.modified is None  # 30 February
    assert [{k: s[k] for k in ("title", "url")} for s in fiche.online_services] == [
        {"title": "Téléservice", "url": "https://www.example.org/teleservice"}
    ]
    tags = {tag.name for tag in BeautifulSoup(body, "html.parser").find_all(True)}
    assert tags <= ALLOWED_TAGS

    # The render-time check finds "onerror=" in the text and cleans: the table stays.
    shown = str(fiche_html(body))
    assert "<table>" in shown and "<th>" in shown and "<img" not in shown


# --- on démarche pages ----------------------------------------------------------------------


@pytest.fixture
def birth_page(communes):
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    page = DemarchePage.objects.descendant_of(bergerac.home_page).get(source_fiche="F1427")
    return page, host_client(bergerac.hostname)


def mairie(commune_code, name, **fields):
    return ServiceEntry.objects.create(
        name=name,
        category=Category.objects.get(slug="mairie"),
        commune=Collectivite.objects.get(code=commune_code),
        **fields,
    )


def main_of(response):
    assert response.status_code == 200
    main = BeautifulSoup(response.content.decode(), "html.parser").find("main")
    assert main is not None
    return main


def test_a_demarche_page_shows_its_fiche_where_to_go_and_the_source(birth_page):
    page, client = birth_page
    import_(SAMPLES)
    mairie(
        COMMUNE_A,
        "Mairie de Bergerac",
        address="Hôtel de ville\nplace de la Mairie",
        postcode="24100",
        city="Bergerac",
        phone="05 53 74 66 66",
    )
    main = main_of(client.get(page.url))
    text = " ".join(main.get_text(" ").split())

    assert "Acte de naissance : demande de copie intégrale ou d'extrait" in text
    assert "Né(e) en France" in text and "Qui peut faire la demande ?" in text
    places = main.find(id="fiche-ou-s-adresser").parent
    assert "Mairie de Bergerac" in places.get_text()
    assert "place de la Mairie" in places.get_text() and "24100 Bergerac" in places.get_text()
    assert places.find("a", href="tel:0553746666").get_text() == "05 53 74 66 66"
    online = main.find(id="fiche-en-ligne").parent
    assert online.find("a", href="https://www.ofpra.gouv.fr/fr/detail/acte/acteNaissance/edit.html")
    source = main.find("p", class_="fiche__source")
    assert source.get_text() == (
        "Source : Service-Public.gouv.fr / DILA — fiche F1427, mise à jour le 26 novembre 2019"
    )
    source = source.find("a")
    assert source["href"] == "https://www.service-public.fr/particuliers/vosdroits/F1427"

    levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert all(h.get_text(strip=True) for h in main.find_all(["h2", "h3"]))
    assert not main.find_all("script") and "<script" not in client.get(page.url).content.decode()


def test_where_to_go_is_the_nearest_place_within_30_km_when_the_commune_has_none(birth_page):
    page, client = birth_page
    import_(SAMPLES)
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    mairie(
        COMMUNE_B,
        "Mairie de Lalinde",
        latitude=lalinde.latitude,
        longitude=lalinde.longitude,
        city="Lalinde",
    )
    places = main_of(client.get(page.url)).find(id="fiche-ou-s-adresser").parent
    assert "Mairie de Lalinde" in places.get_text() and "km" in places.get_text()
    link = places.find("a", string="Mairie de Lalinde")
    assert link["href"].startswith("/services/")

    ServiceEntry.objects.filter(name="Mairie de Lalinde").update(latitude=45.9, longitude=1.9)
    Fiche.objects.get(fiche_id="F1427").save()  # what an import does: the version moves
    places = main_of(client.get(page.url)).find(id="fiche-ou-s-adresser").parent
    assert "Mairie de Lalinde" not in places.get_text()
    assert "Aucun lieu de ce type n'est référencé près de la commune." in places.get_text()


def test_without_its_fiche_a_demarche_page_is_as_before(birth_page):
    page, client = birth_page
    html = client.get(page.url).content.decode()
    assert "Source : Service-Public.gouv.fr" not in html
    import_(SAMPLES)
    Fiche.objects.filter(fiche_id="F1427").update(status=ServiceEntry.Status.ARCHIVED)
    assert fiche_for(page) is None
    assert "Source : Service-Public.gouv.fr" not in client.get(page.url).content.decode()


def test_places_the_directory_does_not_list_are_shown_as_the_fiche_gives_them(birth_page):
    page, client = birth_page
    import_(SAMPLES)
    assert Fiche.objects.get(fiche_id="F1342").pivots == ["ambassade_france_etranger"]
    page.source_fiche = "F1342"
    page.save_revision().publish()
    main = main_of(client.get(page.url))
    assert "Carte d'identité d'un mineur : première demande" in main.get_text()
    places = main.find(id="fiche-ou-s-adresser").parent
    text = " ".join(places.get_text(" ").split())
    # An identity card is applied for at a mairie with a recording station (none is marked
    # here: directory/tests/test_demarches.py marks some), then the fiche's own contacts.
    assert "Mairie équipée pour les cartes d'identité et les passeports" in text
    ants = places.find("a", string="Mairie délivrant des cartes d'identité")
    assert ants["href"].startswith("https://passeport.ants.gouv.fr/")
    assert "34 00 - Carte d'identité : s'informer sur le délai de délivrance" in text
    assert "Depuis l'outre-mer : 09 70 83 07 07" in text


def test_the_fiche_costs_no_query_once_served(
    birth_page, django_assert_max_num_queries, django_assert_num_queries
):
    page, client = birth_page
    import_(SAMPLES)
    mairie(COMMUNE_A, "Mairie de Bergerac")
    # What serving the page has already looked up: the site and its root page (read once
    # per process, serving.pages), whether there are other sites, the private sections.
    site_for_page(page).root_page  # noqa: B018
    site_root_paths().site_count  # noqa: B018
    restricted_paths()
    # The fiche, the categories, the entries and the site's services page, and that page's
    # sites (its first URL built in this process: serving.siteurls.SiteRoots).
    with django_assert_max_num_queries(5):
        fiche = fiche_for(page)
        assert [entry.name for _label, entry in where_to_go(fiche, page)] == ["Mairie de Bergerac"]
    with django_assert_num_queries(0):
        assert where_to_go(fiche_for(page), page)[0][0] == "Mairies"
    assert client.get(page.url).status_code == 200
    assert client.get(page.url).status_code == 200
    with django_assert_max_num_queries(10):
        assert "Mairie de Bergerac" in client.get(page.url).content.decode()
