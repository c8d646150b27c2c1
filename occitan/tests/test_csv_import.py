"""CSV import and export of the lexicon, with the real seed files of occitan/data/."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from occitan.models import Entry, Expression, Theme
from occitan.models.lexicon import SOURCE_APERTIUM
from occitan.services.csv_columns import SEED_CREDIT
from occitan.services.csv_export import export_csv
from occitan.services.csv_import import ENTRIES, EXPRESSIONS, CsvFormatError, import_csv
from occitan.services.lookup import find

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
LEXICON = (DATA / "lexicon-seed.csv").read_bytes()
EXPRESSIONS_SEED = (DATA / "expressions-seed.csv").read_bytes()
# The first 40 words (salutations, mairie): the tests that import several times.
FIRST_40 = b"".join(LEXICON.splitlines(keepends=True)[:41])
HEADER = "theme,french,occitan,occitan_gascon,part_of_speech,gender,example_fr,example_oc\n"


def counts(report):
    return (*report.counts.values(), report.rejected)


def test_the_seed_files_import_as_drafts_to_review_and_again_unchanged():
    revisions = Revision.objects.count()
    entries = import_csv(LEXICON, ENTRIES)
    expressions = import_csv(EXPRESSIONS_SEED, EXPRESSIONS)
    assert counts(entries) == (214, 0, 0, 0), entries.errors
    assert counts(expressions) == (27, 0, 0, 0), expressions.errors
    assert "Apertium" in entries.file_format
    assert not Entry.objects.filter(live=True).exists()
    assert not Expression.objects.filter(live=True).exists()
    assert Entry.objects.filter(has_unpublished_changes=True, latest_revision__isnull=False).count()
    assert Revision.objects.count() == revisions + 241
    maison = Entry.objects.get(slug="maison")
    assert (maison.occitan, maison.variant_gascon, maison.gender) == ("l'ostal", "l'ostau", "m")
    assert (maison.source, maison.credit, maison.machine_suggestion) == (
        SOURCE_APERTIUM,
        SEED_CREDIT,
        True,
    )
    assert maison.theme.name == "La maison"
    assert Theme.objects.count() == 11
    assert Theme.objects.get(slug="meteo").name == "Le temps qu'il fait"
    assert find("maison", public=False).entries[0] == maison
    assert not find("maison")  # not public: à relire
    phrase = Expression.objects.get(slug="bonjour-a-tous")
    assert (phrase.occitan, phrase.literal) == ("Bonjorn a totes !", "Bonjour à tous !")

    assert counts(import_csv(LEXICON, ENTRIES)) == (0, 0, 214, 0)
    assert counts(import_csv(EXPRESSIONS_SEED, EXPRESSIONS)) == (0, 0, 27, 0)
    assert Revision.objects.count() == revisions + 241


def test_a_dry_run_reports_and_writes_nothing():
    revisions = Revision.objects.count()
    report = import_csv(FIRST_40, ENTRIES, dry_run=True)
    assert counts(report) == (40, 0, 0, 0)
    assert "essai à blanc" in report.summary
    assert not Entry.objects.exists()
    assert not Theme.objects.exists()
    assert Revision.objects.count() == revisions


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        (b"mot,traduction\nmaison,l'ostal\n", ENTRIES, "En-tête non reconnu"),
        (EXPRESSIONS_SEED, ENTRIES, "ressemble à un fichier d'expressions"),
        (LEXICON, EXPRESSIONS, "colonnes inconnues : occitan_gascon, part_of_speech"),
        (b"french,occitan,french\n", ENTRIES, "colonnes en double : french"),
        (b"french,occitan\nmaison \x81\x8d\n", ENTRIES, "ni en UTF-8 ni en Windows-1252"),
        (b"", ENTRIES, "vide"),
        (b"PK\x03\x04\x00\x00", ENTRIES, "octets nuls"),
        (b"french,occitan\n", "mots", "Type inconnu"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole_with_a_french_message(raw, kind, message):
    with pytest.raises(CsvFormatError, match=message):
        import_csv(raw, kind)
    assert not Entry.objects.exists()


def test_bad_rows_are_rejected_with_their_line_and_the_good_ones_imported():
    rows = [
        "maison;maison;l'ostal;l'ostau;noun;m;;",
        "maison;;lo pan;;noun;m;;",  # line 3: no French
        "marche;pain;;;noun;m;;",  # line 4: no Occitan
        "marche;vin;lo vin;;nom commun;m;;",  # line 5: part of speech
        "marche;lait;lo lach;;noun;x;;",  # line 6: gender
        "cuisine;four;lo forn;;noun;m;;",  # line 7: theme
        f"marche;{'a' * 121};lo pan;;noun;m;;",  # line 8: too long
        "maison;maison;l'ostal;;noun;m;;",  # line 9: twice
        "marche;fromage;lo formatge;lo hromatge;Nom;Masculin;;",  # labels are codes too
    ]
    raw = (HEADER.replace(",", ";") + "\n".join(rows) + "\n").encode("cp1252")
    report = import_csv(raw, ENTRIES)
    assert counts(report) == (2, 0, 0, 7)
    reasons = {error.line: error.reason for error in report.errors}
    assert list(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert reasons[3] == "french : valeur manquante"
    assert reasons[4] == "occitan : valeur manquante"
    assert "valeur inconnue « nom commun »" in reasons[5]
    assert "gender" in reasons[6]
    assert reasons[7] == "theme : thème inconnu « cuisine »"
    assert reasons[8] == "french : 121 caractères, 120 au plus"
    assert "déjà à la ligne 2" in reasons[9]
    assert str(report.errors[0]) == "ligne 3 : french : valeur manquante"
    fromage = Entry.objects.get(slug="fromage")
    assert (fromage.part_of_speech, fromage.gender) == ("noun", "m")
    assert set(Entry.objects.values_list("slug", flat=True)) == {"maison", "fromage"}


def test_changing_a_published_entry_keeps_it_published_and_saves_a_draft_to_review():
    import_csv(FIRST_40, ENTRIES)
    bonjour = Entry.objects.get(slug="bonjour")
    bonjour.publish(bonjour.latest_revision)
    changed = FIRST_40.replace(b"salutations,bonjour,bonjorn,", b"salutations,bonjour,bonjorno,")
    report = import_csv(changed, ENTRIES)
    assert counts(report) == (0, 1, 39, 0)
    assert "la version publiée reste en ligne" in report.changes[0]
    bonjour.refresh_from_db()
    assert bonjour.live and bonjour.has_unpublished_changes
    assert bonjour.occitan == "bonjorn"  # the published version, as it was
    assert bonjour.get_latest_revision_as_object().occitan == "bonjorno"
    assert find("bonjorn").entries[0] == bonjour
    assert not find("bonjorno")  # the draft's words are not searchable by visitors
    assert counts(import_csv(changed, ENTRIES)) == (0, 0, 40, 0)
    # A draft row (never published) is updated in place, with a new revision.
    maire = Entry.objects.get(slug="maire")
    changed = changed.replace("maire,lo cònsol màger,".encode(), "maire,lo cònsol,".encode())
    assert counts(import_csv(changed, ENTRIES)) == (0, 1, 39, 0)
    maire.refresh_from_db()
    assert (maire.live, maire.occitan, maire.revisions.count()) == (False, "lo cònsol", 2)


def test_a_locked_entry_is_rejected_and_a_slug_taken_by_another_word_gets_a_suffix():
    other = Entry.objects.create(slug="ete", french="Été", occitan="l'estiu", live=False)
    raw = (HEADER + "meteo,été,l'estiu,l'estiu,noun,m,,\n").encode()
    assert counts(import_csv(raw, ENTRIES)) == (1, 0, 0, 0)
    assert Entry.objects.get(slug="ete-2").french == "été"
    assert counts(import_csv(raw, ENTRIES)) == (0, 0, 1, 0)
    Entry.objects.filter(slug="ete-2").update(locked=True)
    report = import_csv(raw.replace(b"l'estiu,l'estiu", b"l'estiu,l'estiu.."), ENTRIES)
    assert report.rejected == 1 and "verrouillé" in report.errors[0].reason
    assert Entry.objects.get(pk=other.pk).french == "Été"


def test_export_then_import_changes_nothing_and_no_cell_is_a_formula():
    import_csv(LEXICON, ENTRIES)
    import_csv(EXPRESSIONS_SEED, EXPRESSIONS)
    maison = Entry.objects.get(slug="maison")
    maison.example_fr = '=HYPERLINK("http://evil","x")'
    maison.save()
    maison.save_revision()
    maison.publish(maison.latest_revision)
    entries = export_csv(ENTRIES)
    assert entries.startswith(b"\xef\xbb\xbfslug,theme,french,occitan,dialect,occitan_gascon")
    text = entries.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",publié\r\n" in text and ",à relire\r\n" in text
    assert counts(import_csv(entries, ENTRIES)) == (0, 0, 214, 0)
    assert counts(import_csv(export_csv(EXPRESSIONS), EXPRESSIONS)) == (0, 0, 27, 0)
    maison.refresh_from_db()
    assert maison.example_fr == '=HYPERLINK("http://evil","x")'


def test_the_command_imports_reports_and_refuses_a_bad_file(tmp_path, capsys):
    call_command("import_occitan", file=DATA / "expressions-seed.csv", kind=EXPRESSIONS)
    assert "créés 27, mis à jour 0, inchangés 0, rejetés 0" in capsys.readouterr().out
    call_command("import_occitan", file=DATA / "lexicon-seed.csv", kind=ENTRIES, dry_run=True)
    assert "essai à blanc" in capsys.readouterr().out
    assert not Entry.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("mot,traduction\n")
    with pytest.raises(CommandError, match="En-tête non reconnu"):
        call_command("import_occitan", file=bad, kind=ENTRIES)
