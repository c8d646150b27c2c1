"""The registry from INSEE's files as published (tests/files/realdata/cog/, see its README)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from communes.models import Collectivite
from communes.services.registry import CsvFormatError, import_registry_csv, load_registry
from communes.services.registry.scope import insee_code, parse_departements

COG = Path(__file__).resolve().parents[2] / "tests" / "files" / "realdata" / "cog"
COMMUNES = COG / "insee_cog_commune_2022_dep24.csv"
POPULATIONS = COG / "insee_populations_donnees_communes_dep24.csv"
EPCI = COG / "epci_composition_dep24.csv"


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("load_registry", "--file", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def communes():
    return Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE)


def test_cog_keeps_the_communes_and_records_the_delegated_ones_on_their_parent(registry):
    report = load_registry(COMMUNES)
    assert report.errors == []
    assert communes().count() == 155  # without --departement, nothing is added
    beaumontois = Collectivite.objects.get(code="24028")
    # The COMD row « Beaumont-du-Périgord » shares the code 24028 and comes after the COM row.
    assert beaumontois.name == "Beaumontois en Périgord"
    assert beaumontois.delegated_communes == [
        {"code": "24028", "name": "Beaumont-du-Périgord", "type": "COMD"},
        {"code": "24219", "name": "Labouquerie", "type": "COMD"},
        {"code": "24310", "name": "Nojals-et-Clotte", "type": "COMD"},
        {"code": "24497", "name": "Sainte-Sabine-Born", "type": "COMD"},
    ]
    assert Collectivite.objects.get(code="24068").delegated_communes == [
        {"code": "24072", "name": "Cadouin", "type": "COMA"},
        {"code": "24315", "name": "Paleyrac", "type": "COMA"},
    ]
    assert not Collectivite.objects.filter(code__in=["24219", "24072"]).exists()
    assert Collectivite.objects.get(code="24177").name == "Faux"  # its 2022 name
    assert "348" in " ".join(report.lines())  # the rest of Dordogne, said, not added


def test_cog_with_a_departement_adds_its_communes_and_no_commune_deleguee(registry):
    out, _err = run(COMMUNES, "--departement", "24")
    assert "created 348, updated 6, unchanged 149, rejected 0" in out
    assert communes().count() == 503
    assert not Collectivite.objects.filter(code__in=["24219", "24072", "24089"]).exists()
    pechs = Collectivite.objects.get(code="24325")  # a commune nouvelle of 2022
    assert pechs.name == "Pechs-de-l'Espérance"
    assert [d["name"] for d in pechs.delegated_communes] == [
        "Cazoulès",
        "Orliaguet",
        "Peyrillac-et-Millac",
    ]
    assert pechs.status == Collectivite.Status.TO_PROVISION and pechs.slug


def test_a_departement_the_file_does_not_cover_adds_nothing_and_says_so(registry):
    out, _err = run(COMMUNES, "--departement", "33,47")
    assert "aucune commune du département 33" in out
    assert "aucune commune du département 47" in out
    assert communes().count() == 155
    assert "created 0, updated 0, unchanged 0" in out


def test_departements_are_read_as_insee_spells_them():
    assert parse_departements(["24", "33,2a", "1", "971"]) == ("24", "33", "2A", "01", "971")
    with pytest.raises(CsvFormatError, match="Département « 20 » inconnu"):
        parse_departements(["20"])
    assert insee_code("24", "37") == "24037"
    assert insee_code("1", "4") == "01004"
    assert insee_code("2A", "004") == "2A004"
    assert insee_code("971", "1") == "97101"
    assert insee_code("971", "101") == "97101"


def test_cog_on_an_empty_registry_needs_a_departement(migrated_db):
    with pytest.raises(CsvFormatError, match="--departement 24"):
        load_registry(COMMUNES)
    assert not Collectivite.objects.exists()


def test_legal_populations_set_each_communes_population_municipale(registry):
    out, _err = run(POPULATIONS)
    assert Collectivite.objects.get(code="24037").population == 26693  # PMUN, not PTOT
    assert Collectivite.objects.get(code="24028").population == 1842
    assert "24037 Bergerac : population 27110 → 26693" in out
    assert "ignorées : 350 (communes absentes du registre)" in out
    assert not Collectivite.objects.filter(code="24089").exists()  # Cazoulès: not created


def test_populations_without_their_leading_zeros_still_find_the_commune(registry, tmp_path):
    # Derived from the real file: Bergerac's CODCOM as a spreadsheet leaves it (37, not 037).
    raw = POPULATIONS.read_bytes()
    assert b";037;Bergerac;" in raw
    derived = tmp_path / "populations.csv"
    derived.write_bytes(raw.replace(b";037;Bergerac;26693;", b";37;Bergerac;26000;"))
    load_registry(derived)
    assert Collectivite.objects.get(code="24037").population == 26000


def test_epci_composition_sets_each_communes_epci(registry):
    bergerac = Collectivite.objects.get(code="24037")
    bergerac.epci, bergerac.outside_epci_name = None, "ancien"
    bergerac.save()
    out, _err = run(EPCI)
    bergerac.refresh_from_db()
    assert bergerac.epci.code == "200070647" and bergerac.outside_epci_name == ""
    assert "24037 Bergerac : EPCI — → 200070647 CA Bergeracoise" in out
    foy = Collectivite.objects.get(code="24335")  # its EPCI is in Gironde, outside the Pays
    # The file spells « CC du Pays Foyen » the same way, but other names without accents.
    assert foy.epci is None and foy.outside_epci_name == "CC du Pays Foyen"


def test_epci_composition_names_the_epci_outside_the_pays(registry):
    load_registry(COMMUNES, ["24"])
    load_registry(EPCI, ["24"])
    sarlat = Collectivite.objects.get(code="24520")
    assert sarlat.epci is None and sarlat.outside_epci_name == "CC Sarlat-Perigord Noir"
    assert Collectivite.objects.get(code="24005").epci.code == "200034833"


@pytest.mark.parametrize("path", [COMMUNES, POPULATIONS, EPCI], ids=["cog", "pop", "epci"])
def test_a_second_run_of_each_file_changes_nothing(registry, path):
    run(COMMUNES, "--departement", "24")
    run(path, "--departement", "24")
    out, _err = run(path, "--departement", "24")
    assert "created 0, updated 0, unchanged 503, rejected 0" in out
    assert "→" not in out and "ajoutée" not in out


def test_a_dry_run_names_what_would_change_and_writes_nothing(registry):
    # As the old loader left it: the COMD row's name over the commune's.
    Collectivite.objects.filter(code="24028").update(name="Beaumont-du-Périgord")
    before = list(Collectivite.objects.order_by("code").values())
    out, _err = run(COMMUNES, "--departement", "24", "--dry-run")
    assert "[dry-run]   24028 Beaumont-du-Périgord → Beaumontois en Périgord : nom" in out
    assert "[dry-run]   24177 Faux-en-Périgord → Faux : nom" in out
    assert "[dry-run]   24001 Abjat-sur-Bandiat : ajoutée" in out
    assert "[dry-run] created 348, updated 6" in out
    out, _err = run(POPULATIONS, "--dry-run")
    assert "[dry-run]   24037 Bergerac : population 27110 → 26693" in out
    assert list(Collectivite.objects.order_by("code").values()) == before


def test_an_unknown_header_is_refused_with_the_expected_columns(registry, tmp_path):
    bad = tmp_path / "insee.csv"
    bad.write_bytes(b"TYPECOM;CODE;NOM\nCOM;24037;Bergerac\n")
    with pytest.raises(CommandError) as refused:
        run(bad)
    message = str(refused.value)
    # Not taken for the Pays' own format, which has a code and a name too.
    assert "En-tête non reconnu : TYPECOM, CODE, NOM" in message
    assert "COG des communes de l'INSEE sans COM, DEP, LIBELLE, COMPARENT" in message
    assert "TYPECOM, COM, DEP, LIBELLE, COMPARENT" in message
    assert "CODDEP;CODCOM;PMUN" in message and "code_commune, code_epci, libelle_geo" in message


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused(registry):
    raw = COMMUNES.read_bytes().replace(b"Beaumontois", b"Beaumontois\x81")
    with pytest.raises(CsvFormatError, match="ni en UTF-8 ni en Windows-1252"):
        import_registry_csv(raw)


def test_a_header_in_no_known_format_is_refused(registry, tmp_path):
    bad = tmp_path / "other.csv"
    bad.write_bytes(b"DEPCOM,NCCENR\n24037,Bergerac\n")
    with pytest.raises(CommandError, match="En-tête non reconnu : DEPCOM, NCCENR"):
        run(bad)
    assert not Collectivite.objects.filter(name="NCCENR").exists()


def test_a_registry_commune_missing_from_a_complete_department_is_reported_not_touched(
    registry, tmp_path
):
    # Derived from the real file: Lalinde's row taken out, and nothing said of it.
    raw = COMMUNES.read_bytes()
    row = b"COM,24223,75,24,24D,241,0,LALINDE,Lalinde,Lalinde,2408,\r\n"
    assert row in raw
    derived = tmp_path / "commune_derived.csv"
    derived.write_bytes(raw.replace(row, b""))
    out, _err = run(derived)
    assert "24223 absente du fichier alors que son département y est complet" in out
    lalinde = Collectivite.objects.get(code="24223")
    assert lalinde.name == "Lalinde" and lalinde.merged_into is None


def test_departement_is_for_insee_files_only(registry):
    shipped = Path(__file__).resolve().parents[1] / "data" / "pays-grand-bergeracois.json"
    with pytest.raises(CommandError, match="--departement ne vaut que pour"):
        run(shipped, "--departement", "24")
    with pytest.raises(CsvFormatError, match="--departement ne vaut que pour"):
        import_registry_csv(b"code;nom\n24999;Saint-Essai\n", ["24"])
    assert not Collectivite.objects.filter(code="24999").exists()
