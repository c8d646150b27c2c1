"""Importers of the directory: Annuaire de l'administration, France Services, the Pays' CSV,
and the producers' web pages. Each runs twice with nothing created the second time, keeps
what editors changed, archives what left its source, and refuses broken files whole."""

import http.server
import json
import shutil
import threading
from functools import partial
from pathlib import Path

import pytest

from directory.importers.annuaire import AnnuaireImporter
from directory.importers.france_services import FranceServicesImporter
from directory.importers.local_csv import LocalCsvImporter
from directory.importers.scrapers import ProducteursScraper
from directory.models import ImportRun, ServiceEntry
from directory.services.imports import run_import

FILES = Path(__file__).parent / "files"
DATA = Path(__file__).resolve().parent.parent / "data"


def counts(report):
    return {k: v for k, v in report.counts.items() if v}


# --- Annuaire de l'administration ----------------------------------------------------------


# In annuaire-bulk.json: five records of the Pays, one of them with a latitude that is not a
# number (kept, without its position), one with no name (refused), one outside the Pays.
BULK_COUNTS = {"created": 5, "rejected": 1, "skipped": 1, "warnings": 1}
SAME_AGAIN = {"unchanged": 5, "rejected": 1, "skipped": 1, "warnings": 1}


def test_annuaire_bulk_file_is_imported_once(registry):
    report = run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    assert counts(report) == BULK_COUNTS, report.rejected
    assert report.rejected == ["sans-nom-24037 : identifiant ou nom manquant"]
    assert report.warnings == [
        "gendarmerie-24167-01 : position ignorée : latitude : « nord » n'est pas un nombre"
    ]
    # Périgueux is not in the Pays: left out, and said.
    assert report.skipped == ["Mairie - Périgueux : hors du Pays : 24322 Périgueux"]
    assert not ServiceEntry.objects.filter(city="Périgueux").exists()
    eymet = ServiceEntry.objects.get(external_id="gendarmerie-24167-01")
    assert eymet.position_approximate and eymet.latitude == eymet.commune.latitude
    mairie = ServiceEntry.objects.get(source="annuaire", external_id="mairie-24037-01")
    assert mairie.category.slug == "mairie"
    assert mairie.commune.code == "24037"
    assert mairie.address == "Hôtel de ville, place de la Mairie"  # the street, not the BP
    assert (mairie.latitude, mairie.longitude) == (44.8517, 0.4823)
    assert mairie.email == "mairie@bergerac.example"
    assert sorted(h.weekday for h in mairie.opening_hours.all()) == [0, 1, 2, 3, 4]
    monday = mairie.opening_hours.get(weekday=0)
    assert [str(t) for t in monday.ranges[0] + monday.ranges[1]] == [
        "08:30:00",
        "12:00:00",
        "13:30:00",
        "17:00:00",
    ]
    assert ServiceEntry.objects.get(external_id="caf-24037-01").category.slug == "caf"

    again = run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    assert counts(again) == SAME_AGAIN
    run = ImportRun.objects.filter(source="annuaire").first()
    assert run.result == ImportRun.Result.DONE and run.counts["unchanged"] == 5
    assert run.skipped == report.skipped and run.warnings == report.warnings


def test_annuaire_api_records_with_nested_json_strings_are_the_same_records(registry):
    first = run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-api.json")
    assert counts(first) == BULK_COUNTS
    bulk = run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    assert counts(bulk) == SAME_AGAIN


def test_a_field_edited_locally_survives_the_next_import(registry, tmp_path):
    run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    mairie = ServiceEntry.objects.get(external_id="mairie-24037-01")
    mairie.phone = "05 53 99 99 99"
    mairie.locked_fields = ["phone"]
    mairie.save()
    document = json.loads((FILES / "annuaire" / "annuaire-bulk.json").read_text())
    record = document["service"][0]
    record["telephone"] = [{"valeur": "05 53 11 11 11"}]
    record["nom"] = "Mairie de Bergerac"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document))
    report = run_import(AnnuaireImporter(), changed)
    assert counts(report) == {**SAME_AGAIN, "updated": 1, "unchanged": 4}
    mairie.refresh_from_db()
    assert mairie.phone == "05 53 99 99 99"  # locked: the secretary's number stays
    assert mairie.name == "Mairie de Bergerac"  # not locked: follows the source


def test_entries_gone_from_the_source_are_archived_not_deleted(registry, tmp_path):
    document = json.loads((FILES / "annuaire" / "annuaire-bulk.json").read_text())
    # Without the nameless record: a run that refuses one archives nothing.
    document["service"] = [r for r in document["service"] if r["id"] != "sans-nom-24037"]
    whole = tmp_path / "whole.json"
    whole.write_text(json.dumps(document))
    run_import(AnnuaireImporter(), whole)
    document["service"] = [r for r in document["service"] if r["id"] != "caf-24037-01"]
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps(document))
    report = run_import(AnnuaireImporter(), smaller)
    # One of five in département 24: not more than the share that asks for a confirmation.
    assert counts(report) == {"unchanged": 4, "archived": 1, "skipped": 1, "warnings": 1}
    assert report.scope_line == "périmètre : département 24"
    caf = ServiceEntry.objects.get(external_id="caf-24037-01")
    assert caf.status == ServiceEntry.Status.ARCHIVED
    # Back in the source: back in service.
    report = run_import(AnnuaireImporter(), whole)
    assert report.counts["updated"] == 1
    caf.refresh_from_db()
    assert caf.status == ServiceEntry.Status.ACTIVE


def test_a_dry_run_reports_and_writes_nothing(registry):
    report = run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json", dry_run=True)
    assert report.counts["created"] == 5
    assert "essai à blanc" in report.summary
    assert not ServiceEntry.objects.exists()


@pytest.mark.parametrize(
    "name, message",
    [
        ("annuaire-truncated.json", "n'est pas du JSON valide (ligne"),
        ("annuaire-latin1.json", "n'est pas en UTF-8"),
        ("annuaire-deep.json", "imbriqué trop profondément"),
        ("annuaire-wrong-shape.json", "ne ressemble pas à un export de l'Annuaire"),
    ],
)
def test_a_broken_annuaire_file_is_refused_whole(registry, name, message):
    run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    before = list(ServiceEntry.objects.values_list("pk", "import_hash", "status"))
    report = run_import(AnnuaireImporter(), FILES / "annuaire" / name)
    assert message in report.file_error
    assert list(ServiceEntry.objects.values_list("pk", "import_hash", "status")) == before
    assert ImportRun.objects.first().result == ImportRun.Result.REJECTED


# --- France Services ------------------------------------------------------------------------


def test_france_services_of_dordogne(registry):
    report = run_import(FranceServicesImporter(), DATA / "france-services-dordogne.geojson")
    assert counts(report) == {"created": 10}, report.rejected
    thenon = ServiceEntry.objects.get(source="france-services", external_id="140")
    assert thenon.name == "France Services Thenon Hautefort - Thenon"
    assert thenon.category.slug == "france-services"
    assert (thenon.latitude, thenon.longitude) == (45.1364, 1.071554)
    thursday = thenon.opening_hours.get(weekday=3)
    assert [str(t) for t in thursday.ranges[0]] == ["14:00:00", "17:30:00"]
    assert not thenon.opening_hours.filter(weekday=5).exists()  # "-" on Saturdays
    again = run_import(FranceServicesImporter(), DATA / "france-services-dordogne.geojson")
    assert counts(again) == {"unchanged": 10}


# --- The Pays' CSV --------------------------------------------------------------------------


def test_csv_rows_good_and_bad(registry):
    report = run_import(LocalCsvImporter(), FILES / "csv" / "locales.csv")
    assert counts(report) == {"created": 2, "rejected": 5}, report.rejected
    reasons = "\n".join(report.rejected)
    assert "ligne 4 : colonne « id » vide" in reasons
    assert "ligne 5 : latitude : « quarante-quatre » n'est pas un nombre" in reasons
    assert "ligne 6 : plage horaire illisible" in reasons
    assert "ligne 7 : jour inconnu" in reasons
    assert "papi-1 : présent deux fois" in reasons
    childminder = ServiceEntry.objects.get(external_id="am-1")
    assert childminder.extra == {"places_disponibles": "2"}
    # No position given: the commune's centre, said to be approximate.
    assert childminder.position_approximate
    assert childminder.latitude == childminder.commune.latitude
    assert counts(run_import(LocalCsvImporter(), FILES / "csv" / "locales.csv")) == {
        "unchanged": 2,
        "rejected": 5,
    }


@pytest.mark.parametrize("name", ["locales-bom.csv", "locales-cp1252.csv"])
def test_csv_encodings_and_separators(registry, name):
    report = run_import(LocalCsvImporter(source_name=f"csv-{name}"), FILES / "csv" / name)
    assert counts(report) == {"created": 2}, report.rejected
    assert ServiceEntry.objects.filter(name="Assistante maternelle — Bergerac").exists()


@pytest.mark.parametrize(
    "name, message",
    [("locales-sans-nom.csv", "Colonnes obligatoires absentes : nom"), ("vide.csv", "est vide")],
)
def test_csv_that_cannot_be_read_is_refused(registry, name, message):
    report = run_import(LocalCsvImporter(), FILES / "csv" / name)
    assert message in report.file_error
    assert not ServiceEntry.objects.exists()


# --- Web pages, replayed from a local server ----------------------------------------------


class RecordingHandler(http.server.SimpleHTTPRequestHandler):
    agents = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        RecordingHandler.agents.append(self.headers.get("User-Agent", ""))
        super().do_GET()


@pytest.fixture
def recorded_site(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FILES / "scraper", root)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(RecordingHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RecordingHandler.agents = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_producers_scraper_follows_pages_on_its_site_only(registry, recorded_site):
    url = f"{recorded_site}/producteurs.html"
    report = run_import(ProducteursScraper(url), url)
    assert counts(report) == {"created": 4, "rejected": 1}, report.rejected
    assert len(RecordingHandler.agents) == 2  # page 2 followed, the other site's page not
    assert all(agent.startswith("Bastide/") for agent in RecordingHandler.agents)
    ferme = ServiceEntry.objects.get(source="scraper:producteurs", external_id="prod-1034")
    assert ferme.commune.code == "24223"  # "24150 Lalinde" matched against the registry
    assert ferme.email == "ferme@noix.example"
    assert ferme.category.slug == "producteurs"
    assert ferme.position_approximate
    domaine = ServiceEntry.objects.get(external_id="prod-1021")
    assert domaine.description == "Vins de Bergerac et de Monbazillac & jus de raisin"
    assert domaine.extra == {"vente": "Caveau ouvert du lundi au samedi"}
    assert counts(run_import(ProducteursScraper(url), url)) == {"unchanged": 4, "rejected": 1}


@pytest.mark.parametrize(
    "page, message",
    [
        ("producteurs-latin1.html", "n'est pas en utf-8 comme elle le déclare"),
        ("producteurs-redesigned.html", "la page ne contient pas la liste attendue"),
    ],
)
def test_a_page_that_cannot_be_read_changes_nothing(registry, recorded_site, page, message):
    url = f"{recorded_site}/producteurs.html"
    run_import(ProducteursScraper(url), url)
    before = list(ServiceEntry.objects.values_list("pk", "import_hash", "status"))
    report = run_import(ProducteursScraper(), f"{recorded_site}/{page}")
    assert message in report.file_error
    assert list(ServiceEntry.objects.values_list("pk", "import_hash", "status")) == before


def test_a_page_declaring_an_external_entity_never_reads_it(registry, recorded_site):
    report = run_import(ProducteursScraper(), f"{recorded_site}/producteurs-xxe.html")
    assert report.counts["created"] == 1
    entry = ServiceEntry.objects.get(external_id="x1")
    assert "root:" not in entry.name and entry.name.endswith("Ferme")


def test_only_http_addresses_are_fetched(registry):
    report = run_import(ProducteursScraper(), "file:///etc/passwd")
    assert report.file_error
    assert not ServiceEntry.objects.exists()


# --- Commands ------------------------------------------------------------------------------


def test_import_command_reports_and_dry_runs(registry):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command(
        "import_directory", "csv", str(FILES / "csv" / "locales.csv"), "--dry-run", stdout=out
    )
    text = out.getvalue()
    assert "refusé — ligne 5 : latitude" in text
    assert text.strip().endswith("(essai à blanc : rien n'a été enregistré)")
    assert not ServiceEntry.objects.exists()
    with pytest.raises(CommandError, match="n'est pas en UTF-8"):
        call_command(
            "import_directory", "annuaire", str(FILES / "annuaire" / "annuaire-latin1.json")
        )


def test_the_demo_directory_seeds_twice_creating_nothing_the_second_time(communes):
    import io

    from django.core.management import call_command

    first, second = io.StringIO(), io.StringIO()
    call_command("seed_directory", stdout=first)
    call_command("seed_directory", stdout=second)
    lines = second.getvalue().strip().splitlines()
    assert len(lines) == 5, lines
    for line in lines[:4]:
        assert "0 créés" in line and "0 refusés" in line, line
    # The demo recording stations, marked by the first run only.
    assert "2 mairie(s) marquée(s)" in first.getvalue()
    assert lines[4] == "dispositifs de recueil (démo) : 0 mairie(s) marquée(s)"
    assert set(
        ServiceEntry.objects.filter(recording_station=True).values_list("external_id", flat=True)
    ) == {"24037", "24223"}
    assert ServiceEntry.objects.filter(source="mairies").count() == 155
    bergerac = ServiceEntry.objects.get(source="mairies", external_id="24037")
    assert bergerac.name == "Mairie de Bergerac" and bergerac.commune.code == "24037"
    assert bergerac.position_approximate
    assert ServiceEntry.objects.filter(source="france-services").count() == 10


def test_a_mairie_the_annuaire_lists_is_not_shown_twice(communes):
    from directory.importers.registry import RegistryMairiesImporter

    assert run_import(RegistryMairiesImporter(), None).counts["created"] == 155
    run_import(AnnuaireImporter(), FILES / "annuaire" / "annuaire-bulk.json")
    report = run_import(RegistryMairiesImporter(), None)
    assert report.counts["archived"] == 2  # Bergerac and Lalinde: the Annuaire has them
    shown = ServiceEntry.objects.active().filter(category__slug="mairie", commune__code="24037")
    assert [e.source for e in shown] == ["annuaire"]
