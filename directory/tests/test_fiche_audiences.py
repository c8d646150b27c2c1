"""The DILA's three publications live together: a fiche is one row with its audiences, and a
publication archives only within its own audience (real files, tests/files/realdata)."""

import zipfile
from pathlib import Path

from directory.importers.comarquage import ComarquageImporter
from directory.models import Fiche, ImportRun
from directory.services.imports import run_import

REAL = Path(__file__).resolve().parents[2] / "tests" / "files" / "realdata" / "comarquage"
# F and N publications only: the R ones (forms, online services) are another importer's work.
PARTICULIERS = sorted(p for p in (REAL / "particuliers").glob("*.xml") if p.stem[0] in "FN")
ASSOCIATIONS = sorted(p for p in (REAL / "associations").glob("*.xml") if p.stem[0] in "FN")
SHARED = "F1427"


def counts(report):
    return {k: v for k, v in report.counts.items() if v}


def make_zip(path, members):
    """members: [(name, bytes)]"""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def files(paths, without=()):
    return [(p.name, p.read_bytes()) for p in paths if p.stem not in without]


def shared_for_associations():
    """F1427 as the associations' publication would carry it."""
    data = (REAL / "particuliers" / f"{SHARED}.xml").read_bytes()
    assert b"<Audience>Particuliers</Audience>" in data
    audience = b"<Audience>Associations</Audience>"
    return f"{SHARED}.xml", data.replace(b"<Audience>Particuliers</Audience>", audience, 1)


def import_(path, **kwargs):
    return run_import(ComarquageImporter(), path, **kwargs)


def test_two_audiences_keep_each_others_fiches_and_a_shared_fiche_is_one(db, tmp_path):
    particuliers = make_zip(tmp_path / "particuliers.zip", files(PARTICULIERS))
    associations = make_zip(
        tmp_path / "associations.zip", [*files(ASSOCIATIONS), shared_for_associations()]
    )
    first = import_(particuliers)
    assert counts(first) == {"created": len(PARTICULIERS)}, first.rejected
    assert first.scope_line == "périmètre : public particuliers"

    report = import_(associations)
    # The associations' zip archives none of the particuliers' fiches.
    assert counts(report) == {"created": len(ASSOCIATIONS), "updated": 1}, report.rejected
    assert report.scope_line == "périmètre : public associations"
    assert Fiche.objects.filter(status="active").count() == len(PARTICULIERS) + len(ASSOCIATIONS)
    shared = Fiche.objects.get(fiche_id=SHARED)  # one row
    assert shared.audiences == ["particuliers", "associations"]
    # Its text is the particuliers' one, whichever came last.
    assert shared.sp_url == f"https://www.service-public.fr/particuliers/vosdroits/{SHARED}"
    assert Fiche.objects.get(fiche_id="F1119").audiences == ["associations"]

    # Each publication again: nothing changes.
    assert counts(import_(associations)) == {"unchanged": len(ASSOCIATIONS) + 1}
    assert counts(import_(particuliers)) == {"unchanged": len(PARTICULIERS)}

    # Gone from the associations' publication only: still a particuliers' fiche.
    fewer = make_zip(tmp_path / "associations-2.zip", files(ASSOCIATIONS))
    report = import_(fewer)
    assert counts(report) == {"unchanged": len(ASSOCIATIONS)}
    shared.refresh_from_db()
    assert (shared.status, shared.audiences) == ("active", ["particuliers"])

    # Gone from every publication that had it: archived.
    fewer = make_zip(tmp_path / "particuliers-2.zip", files(PARTICULIERS, without={SHARED}))
    report = import_(fewer)
    assert counts(report) == {"unchanged": len(PARTICULIERS) - 1, "archived": 1}
    shared.refresh_from_db()
    assert (shared.status, shared.audiences) == ("archived", [])


def test_a_few_files_or_a_mixed_zip_archive_nothing(db, tmp_path):
    import_(make_zip(tmp_path / "particuliers.zip", files(PARTICULIERS)))
    report = import_(REAL / "particuliers" / f"{SHARED}.xml")
    assert report.scope_line.startswith("périmètre : aucun (quelques fichiers")
    mixed = make_zip(tmp_path / "mixed.zip", [*files(ASSOCIATIONS), *files(PARTICULIERS[:3])])
    report = import_(mixed)
    assert report.counts["archived"] == 0
    assert report.scope_line == (
        "périmètre : aucun (publication qui mêle plusieurs publics) : rien n'est archivé"
    )
    assert Fiche.objects.filter(status="active").count() == len(PARTICULIERS) + len(ASSOCIATIONS)
    assert ImportRun.objects.first().scope == report.scope_line


def test_fiches_imported_before_audiences_get_theirs_from_their_address(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("directory.migrations.0003_import_scope_audiences")
    Fiche.objects.create(
        fiche_id="F1", title="a", sp_url="https://www.service-public.fr/associations/vosdroits/F1"
    )
    Fiche.objects.create(
        fiche_id="F2",
        title="b",
        sp_url="https://www.service-public.fr/professionnels-entreprises/vosdroits/F2",
    )
    Fiche.objects.create(fiche_id="F3", title="c", sp_url="")
    migration.audiences_from_addresses(apps, None)
    assert dict(Fiche.objects.values_list("fiche_id", "audiences")) == {
        "F1": ["associations"],
        "F2": ["professionnels"],
        "F3": ["particuliers"],
    }
