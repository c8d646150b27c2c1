"""The registry: the shipped data, and a Pays' CSV export with its usual faults."""

from pathlib import Path

import pytest

from communes.models import Collectivite
from communes.services.registry import CsvFormatError, import_registry_csv

FILES = Path(__file__).resolve().parents[2] / "tests" / "files"


def test_shipped_registry_has_the_pays_its_5_epci_and_155_communes(registry):
    assert Collectivite.objects.filter(kind="pays").count() == 1
    assert Collectivite.objects.filter(kind="epci").count() == 5
    assert Collectivite.objects.filter(kind="commune").count() == 155
    bergerac = Collectivite.objects.get(code="24037")
    assert bergerac.slug == "bergerac"
    assert bergerac.postcodes == ["24100"]
    assert bergerac.epci.name == "CA Bergeracoise"
    assert bergerac.latitude and bergerac.longitude
    outside = Collectivite.objects.get(code="24335")  # Port-Sainte-Foy-et-Ponchapt
    assert outside.epci is None and outside.outside_epci_name == "CC du Pays Foyen"
    slugs = list(Collectivite.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) and all(len(s) <= 63 for s in slugs)


def test_loading_twice_changes_nothing(registry):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_registry", stdout=out)
    assert out.getvalue().strip() == "created 0, updated 0, unchanged 161, rejected 0"


def test_csv_good_rows_imported_bad_rows_reported_with_line_and_reason(db):
    report = import_registry_csv((FILES / "registry-semicolon-utf8-bom.csv").read_bytes())
    assert report.counts["created"] == 4
    abergement = Collectivite.objects.get(code="01001")
    assert abergement.name == "L'Abergement-Clémenciat"  # BOM stripped, accents kept
    assert abergement.latitude == pytest.approx(46.15)  # decimal comma
    ajaccio = Collectivite.objects.get(code="2A004")
    assert ajaccio.postcodes == ["20000", "20090"]
    assert Collectivite.objects.get(code="200099999").kind == "syndicat"
    errors = {e.line: e.reason for e in report.errors}
    assert set(errors) == {4, 5, 6, 7, 8, 10}
    assert "5 caractères" in errors[4]
    assert "nom manquant" in errors[5]
    assert "beaucoup" in errors[6]
    assert "2400" in errors[7]
    assert "123456789" in errors[8]
    assert "château" in errors[10]
    assert str(report.errors[0]).startswith("ligne 4 : ")
    assert Collectivite.objects.filter(code="24994").exists()  # after a blank line


def test_csv_comma_separated_cp1252(db):
    report = import_registry_csv((FILES / "registry-comma-cp1252.csv").read_bytes())
    assert report.errors == []
    assert Collectivite.objects.get(code="24994").name == "Saint-Étienne-de-Puycorbier"
    assert Collectivite.objects.get(code="24994").population == 1110
    assert Collectivite.objects.get(code="24993").kind == "commune"


def test_csv_reimport_updates_in_place(db):
    raw = (FILES / "registry-comma-cp1252.csv").read_bytes()
    import_registry_csv(raw)
    report = import_registry_csv(raw.replace(b"121", b"130"))
    assert report.counts == {"created": 0, "updated": 1, "unchanged": 1}
    assert Collectivite.objects.get(code="24993").population == 130


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("registry-missing-columns.csv", "Colonnes obligatoires absentes"),
        ("registry-binary.csv", "ni en UTF-8 ni en Windows-1252"),
    ],
)
def test_csv_unusable_files_are_refused_with_a_message(migrated_db, name, message):
    raw = (FILES / name).read_bytes()
    with pytest.raises(CsvFormatError, match=message):
        import_registry_csv(raw)
    assert not Collectivite.objects.exists()


def test_csv_empty_file(db):
    with pytest.raises(CsvFormatError, match="vide"):
        import_registry_csv(b"")
