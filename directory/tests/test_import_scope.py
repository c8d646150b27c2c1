"""What an import may archive (only within the scope its input covers completely, never
after a refusal, past a share of it only once confirmed), and the real Annuaire record of
Breux-sur-Avre kept whole: its trimmed address, its accessibility, its Paris time."""

import copy
import datetime
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from communes.models import Collectivite
from directory.importers.annuaire import AnnuaireImporter
from directory.models import ImportRun, ServiceEntry
from directory.services.imports import run_import

FILES = Path(__file__).parent / "files"
REAL = Path(__file__).resolve().parents[2] / "tests" / "files" / "realdata" / "annuaire"
BREUX = REAL / "betagouv-annuaire-api_organismes-bsa.json"
BREUX_ID = "0b19da66-336b-4a4d-a56a-1bbf731ec306"


def counts(report):
    return {k: v for k, v in report.counts.items() if v}


def write(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def breux_record():
    return json.loads(BREUX.read_text(encoding="utf-8"))["service"][0]


@pytest.fixture
def breux_in_the_pays(db):
    """A registry whose only commune is Breux-sur-Avre (Eure)."""
    return Collectivite.objects.create(
        kind=Collectivite.Kind.COMMUNE,
        code="27115",
        name="Breux-sur-Avre",
        slug="breux-sur-avre",
        latitude=48.76,
        longitude=1.08,
    )


def dordogne_file(tmp_path, drop=(), name="dordogne.json"):
    """The test bulk file without its nameless record (so that nothing is refused)."""
    document = json.loads((FILES / "annuaire" / "annuaire-bulk.json").read_text())
    document["service"] = [
        r for r in document["service"] if r["id"] not in {"sans-nom-24037", *drop}
    ]
    return write(tmp_path, name, document)


# --- The real record ------------------------------------------------------------------------


def test_the_real_breux_record_is_kept_whole(breux_in_the_pays):
    report = run_import(AnnuaireImporter(), BREUX)
    assert counts(report) == {"created": 1}, (report.rejected, report.warnings)
    entry = ServiceEntry.objects.get(source="annuaire", external_id=BREUX_ID)
    assert entry.name == "Mairie - Breux-sur-Avre"
    assert entry.commune == breux_in_the_pays
    assert entry.category.slug == "mairie"
    # « https://www.breux-sur-avre.fr » with a trailing space: trimmed, kept.
    assert entry.website == "https://www.breux-sur-avre.fr"
    assert entry.email == "mairie@breux-sur-avre.fr"
    assert entry.phone == "02 32 32 50 76"
    assert entry.address == "10 ancienne route du Mans\nLe Bourg"
    assert (entry.postcode, entry.city) == ("27570", "Breux-sur-Avre")
    assert (entry.latitude, entry.longitude) == (48.76231, 1.081901)
    assert entry.accessibility == "Accessible en fauteuil roulant — rampe d'accès"
    assert entry.extra["accessibilite_code"] == "ACC"
    # « 03/12/2021 07:55:01 » is Paris time: 06:55:01 UTC in winter.
    assert entry.source_modified == datetime.datetime(
        2021, 12, 3, 7, 55, 1, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert entry.source_modified.astimezone(datetime.UTC).hour == 6
    # No url_service_public in the record: its page on the Annuaire, from its id.
    assert entry.source_url == f"https://lannuaire.service-public.fr/normandie/eure/{BREUX_ID}"
    hours = {(h.weekday, h.morning_open, h.morning_close) for h in entry.opening_hours.all()}
    assert hours == {
        (0, datetime.time(16, 30), datetime.time(18, 30)),
        (3, datetime.time(16, 30), datetime.time(18, 30)),
    }
    assert report.scope_line == "périmètre : département 27"

    again = run_import(AnnuaireImporter(), BREUX)
    assert counts(again) == {"unchanged": 1}


def test_the_real_record_outside_the_pays_is_counted_as_skipped_with_its_reason(registry):
    report = run_import(AnnuaireImporter(), BREUX)
    assert counts(report) == {"skipped": 1}
    assert report.skipped == ["Mairie - Breux-sur-Avre : hors du Pays : 27115 Breux-sur-Avre"]
    assert "1 laissés de côté" in report.summary
    assert ImportRun.objects.first().skipped == report.skipped
    out = io.StringIO()
    call_command("import_directory", "annuaire", str(BREUX), stdout=out)
    assert "laissé de côté — Mairie - Breux-sur-Avre : hors du Pays : 27115" in out.getvalue()


def test_invalid_fields_are_dropped_with_a_warning_and_the_record_kept(breux_in_the_pays, tmp_path):
    record = breux_record()
    record["adresse_courriel"] = ["mairie@"]
    record["site_internet"] = [{"valeur": "pas une adresse"}]
    record["telephone"] = [{"valeur": "non communiqué"}]
    record["adresse"][0]["latitude"] = "nord"
    record["plage_ouverture"][1]["nom_jour_debut"] = "Jeudimanche"
    path = write(tmp_path, "bad.json", {"service": [record]})
    report = run_import(AnnuaireImporter(), path)
    assert counts(report) == {"created": 1, "warnings": 5}, report.rejected
    where = f"{BREUX_ID} : "
    assert report.warnings == [
        where + "position ignorée : latitude : « nord » n'est pas un nombre",
        where + "plage horaire ignorée : jour d'ouverture inconnu : Jeudimanche",
        where + "champ ignoré : téléphone « non communiqué » (numéro illisible)",
        where + "champ ignoré : courriel « mairie@ » (courriel invalide)",
        where + "champ ignoré : site internet « pas une adresse » (adresse invalide)",
    ]
    entry = ServiceEntry.objects.get(external_id=BREUX_ID)
    assert (entry.email, entry.website, entry.phone) == ("", "", "")
    assert entry.position_approximate and entry.latitude == 48.76  # the commune's centre
    assert [h.weekday for h in entry.opening_hours.all()] == [0]
    assert ImportRun.objects.first().warnings == report.warnings
    assert ImportRun.objects.first().counts["warnings"] == 5


def test_hour_comments_are_kept_and_shown_on_the_entry_page(communes, tmp_path):
    document = json.loads((FILES / "annuaire" / "annuaire-bulk.json").read_text())
    mairie = copy.deepcopy(document["service"][0])
    mairie["plage_ouverture"][0]["commentaire"] = "Sur rendez-vous le vendredi après-midi"
    mairie["commentaire_plage_ouverture"] = "Fermé le premier samedi du mois"
    run_import(AnnuaireImporter(), write(tmp_path, "one.json", {"results": [mairie]}))
    entry = ServiceEntry.objects.get(external_id="mairie-24037-01")
    assert entry.hours_notes == [
        "Lundi – Vendredi : Sur rendez-vous le vendredi après-midi",
        "Fermé le premier samedi du mois",
    ]
    from conftest import COMMUNE_A, host_client

    html = (
        host_client(communes[COMMUNE_A].hostname)
        .get(f"/services/{entry.pk}-{entry.slug}/")
        .content.decode()
    )
    assert "<li>Lundi – Vendredi : Sur rendez-vous le vendredi après-midi</li>" in html
    assert "<li>Fermé le premier samedi du mois</li>" in html


# --- What a run may archive -----------------------------------------------------------------


def test_a_partial_input_archives_nothing(registry, tmp_path):
    run_import(AnnuaireImporter(), dordogne_file(tmp_path))
    document = json.loads((FILES / "annuaire" / "annuaire-api.json").read_text())
    document["results"] = document["results"][:1]  # one page of the API
    report = run_import(AnnuaireImporter(), write(tmp_path, "page.json", document))
    assert counts(report) == {"unchanged": 1}
    assert report.scope_line == "périmètre : aucun (fichier partiel) : rien n'est archivé"
    assert ServiceEntry.objects.filter(status="active").count() == 5
    assert "périmètre : aucun (fichier partiel)" in ImportRun.objects.first().scope


def test_a_file_of_another_departement_archives_nothing_here(registry, tmp_path):
    Collectivite.objects.create(
        kind=Collectivite.Kind.COMMUNE, code="27115", name="Breux-sur-Avre", slug="breux"
    )
    run_import(AnnuaireImporter(), dordogne_file(tmp_path))
    report = run_import(AnnuaireImporter(), BREUX)
    assert counts(report) == {"created": 1}
    assert report.scope_line == "périmètre : département 27"
    assert ServiceEntry.objects.filter(status="active").count() == 6


def test_a_run_that_refused_a_record_archives_nothing(registry, tmp_path):
    run_import(AnnuaireImporter(), dordogne_file(tmp_path))
    document = json.loads((FILES / "annuaire" / "annuaire-bulk.json").read_text())
    document["service"] = [r for r in document["service"] if r["id"] != "caf-24037-01"]
    report = run_import(AnnuaireImporter(), write(tmp_path, "refused.json", document))
    assert report.counts["rejected"] == 1 and report.counts["archived"] == 0
    assert report.scope_line == (
        "périmètre : département 24 : des enregistrements ont été refusés : rien n'est archivé"
    )
    assert ServiceEntry.objects.get(external_id="caf-24037-01").status == "active"


def test_archiving_more_than_the_share_waits_for_a_confirmation(registry, tmp_path):
    run_import(AnnuaireImporter(), dordogne_file(tmp_path))
    document = json.loads(dordogne_file(tmp_path).read_text())
    kept = [r for r in document["service"] if r["id"] in {"mairie-24037-01", "mairie-24322-01"}]
    kept[0]["nom"] = "Mairie de Bergerac"
    smaller = write(tmp_path, "two.json", {"service": kept})

    report = run_import(AnnuaireImporter(), smaller)
    # Four of five entries of département 24 would go (Périgueux is not in the Pays): the
    # record is written, nothing is archived.
    assert counts(report) == {"updated": 1, "skipped": 1}
    assert report.needs_confirm
    assert "4 sur 5 (80 %) seraient archivés, plus que le seuil de 20 %" in report.scope_line
    assert ServiceEntry.objects.get(external_id="mairie-24037-01").name == "Mairie de Bergerac"
    assert ServiceEntry.objects.filter(status="active").count() == 5
    run = ImportRun.objects.first()
    assert run.result == ImportRun.Result.UNCONFIRMED and "--confirm" in run.message

    out = io.StringIO()
    call_command("import_directory", "annuaire", str(smaller), "--confirm", stdout=out)
    assert "périmètre : département 24\n" in out.getvalue()
    assert "4 archivés" in out.getvalue()
    assert ServiceEntry.objects.filter(status="active").count() == 1


def test_the_share_is_a_setting(registry, tmp_path, settings):
    settings.DIRECTORY_ARCHIVE_CONFIRM_SHARE = 0.7
    run_import(AnnuaireImporter(), dordogne_file(tmp_path))
    smaller = dordogne_file(tmp_path, drop={"caf-24037-01", "cpam-24037-01", "mairie-24223-01"})
    report = run_import(AnnuaireImporter(), smaller)
    assert report.counts["archived"] == 3 and not report.needs_confirm


def test_a_dry_run_says_what_it_would_archive_and_archives_nothing(registry, tmp_path):
    run_import(AnnuaireImporter(), dordogne_file(tmp_path))
    smaller = dordogne_file(tmp_path, drop={"caf-24037-01"}, name="smaller.json")
    report = run_import(AnnuaireImporter(), smaller, dry_run=True)
    assert report.counts["archived"] == 1
    assert ServiceEntry.objects.get(external_id="caf-24037-01").status == "active"
