"""A backup restores into a fresh database and storage as it was; a bad archive changes nothing."""

import copy
import hashlib
import io
import tarfile
from contextlib import contextmanager

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import load_backend
from wagtail.models import Page, Revision, Site

from backups.restore import restore_backup, verify_backup
from backups.services import (
    MANIFEST,
    PG_CLIENT_INSTALL,
    BackupError,
    _pg_env,
    _run_pg,
    create_backup,
    walk_storage,
)
from communes.models import SiteDocument, SiteImage
from directory.models import ServiceEntry

RESTORE = "restore"


@pytest.fixture
def media(settings):
    """An empty default storage of this test's own (the session's InMemoryStorage holds what
    other tests uploaded)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    assert not list(walk_storage(default_storage))
    return default_storage


@contextmanager
def fresh_database(tmp_path):
    """A second, empty database of the same engine, as the connection alias `restore`."""
    default = connections["default"]
    postgresql = default.vendor == "postgresql"
    name = f"{default.settings_dict['NAME']}_restore" if postgresql else str(tmp_path / "r.db")
    if postgresql:
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    # Registered for this thread only, not in the settings: Django's test case then allows it
    # as a connection made by the test itself.
    settings_dict = {**copy.deepcopy(default.settings_dict), "NAME": name}
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, RESTORE)
    connections[RESTORE] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[RESTORE]
        if postgresql:
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(alias):
    """What the comparison is about, read from the database `alias`: the pages of each site,
    revisions, images, documents and directory entries."""
    sites = {}
    for site in Site.objects.using(alias).select_related("root_page").order_by("hostname"):
        pages = Page.objects.using(alias).filter(path__startswith=site.root_page.path)
        sites[site.hostname] = list(pages.order_by("path").values_list("url_path", "title", "live"))
    return {
        "sites": sites,
        "revisions": list(
            Revision.objects.using(alias)
            .order_by("pk")
            .values_list("pk", "content_type__model", "object_id", "created_at", "content")
        ),
        "images": list(
            SiteImage.objects.using(alias).order_by("pk").values_list("title", "file", "file_hash")
        ),
        "documents": list(
            SiteDocument.objects.using(alias)
            .order_by("pk")
            .values_list("title", "file", "file_hash", "collection__name")
        ),
        "entries": list(
            ServiceEntry.objects.using(alias)
            .order_by("pk")
            .values_list("name", "category__slug", "commune__code", "latitude", "longitude")
        ),
    }


def media_files(storage):
    return {
        name: hashlib.sha256(storage.open(name, "rb").read()).hexdigest()
        for name in walk_storage(storage)
    }


def seed():
    """A provisioned Pays and communes (fixtures) plus what a mairie adds: news with images,
    minutes as PDF documents, edits that leave revisions, and directory entries."""
    from directory.importers import get_importer
    from directory.services.imports import run_import
    from sitefactory.services.demo_content import create_demo_content

    create_demo_content()
    report = run_import(get_importer("mairies"), None)
    assert not report.file_error
    page = Page.objects.filter(depth__gt=2).order_by("path").first().specific
    page.title = "Titre modifié après la sauvegarde précédente"
    page.save_revision().publish()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_and_storage_as_it_was(communes, media, tmp_path):
    seed()
    before, files = snapshot("default"), media_files(media)
    assert len(before["sites"]) == 4 and all(len(p) > 5 for p in before["sites"].values())
    assert before["revisions"] and before["images"] and before["documents"]
    assert before["entries"] and files

    report = create_backup(tmp_path)
    manifest = verify_backup(report.path)
    assert manifest["database"]["engine"] == connections["default"].vendor
    assert manifest["database"]["server_version"] and manifest["versions"]["wagtail"]
    assert {e["path"] for e in manifest["files"]} >= {f"media/{name}" for name in files}
    assert report.media_files == len(files)

    restored_media = InMemoryStorage()
    with fresh_database(tmp_path) as restored:
        restore_backup(report.path, using=RESTORE, storage=restored_media)
        assert snapshot(RESTORE) == before
        assert media_files(restored_media) == files

        # Restored again over it: refused, then allowed by --force, with the same result.
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(report.path, using=RESTORE, storage=InMemoryStorage())
        with pytest.raises(CommandError, match="--force"):
            call_command("restore_backup", str(report.path), database=RESTORE)
        restored_media.save("media-added-later.txt", io.BytesIO(b"x"))
        Page.objects.using(RESTORE).filter(depth__gt=2).update(title="changed")
        out = io.StringIO()
        call_command("restore_backup", str(report.path), database=RESTORE, force=True, stdout=out)
        assert "restored" in out.getvalue()
        assert snapshot(RESTORE) == before
        restored.close()


def corrupt(path, target):
    """A copy of the archive at `path` with one byte changed in member `target`."""
    data = bytearray(path.read_bytes())
    with tarfile.open(path) as tar:
        member = tar.getmember(target)
    data[member.offset_data] ^= 0xFF
    target_path = path.with_name("corrupted.tar")
    target_path.write_bytes(bytes(data))
    return target_path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_corrupted_or_truncated_archive_is_refused_and_nothing_changes(pays, media, tmp_path):
    media.save("original_images/photo.jpg", io.BytesIO(b"\xff\xd8 not really a jpeg"))
    archive = create_backup(tmp_path / "b.tar").path
    media.delete("original_images/photo.jpg")
    pages = list(Page.objects.values_list("pk", "title"))
    manifest = verify_backup(archive)

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    no_manifest = tmp_path / "no-manifest.tar"
    with tarfile.open(archive) as source, tarfile.open(no_manifest, "w") as copy:
        for member in source:
            if member.name != MANIFEST:
                copy.addfile(member, source.extractfile(member))
    bad = {
        corrupt(archive, "media/original_images/photo.jpg"): "checksum mismatch",
        corrupt(archive, manifest["database"]["file"]): "checksum mismatch",
        truncated: "truncated",
        no_manifest: "no manifest",
        tmp_path / "absent.tar": "no such file",
    }
    for path, message in bad.items():
        with pytest.raises(BackupError, match=message):
            restore_backup(path, storage=media, force=True)
        with pytest.raises(CommandError, match=message):
            call_command("restore_backup", str(path), force=True)
    # --force was given: only the verification stood between these archives and the data.
    assert list(Page.objects.values_list("pk", "title")) == pages
    assert not list(walk_storage(media))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_into_a_non_empty_database_or_storage_is_refused(pays, media, tmp_path):
    archive = create_backup(tmp_path).path
    # Password hashes and form submissions: for its owner's eyes only, and finished.
    assert archive.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [archive.name]
    pages = list(Page.objects.values_list("pk", "title"))
    with pytest.raises(BackupError, match=r"not empty \(\d+ tables\)"):
        restore_backup(archive, storage=InMemoryStorage())
    out = io.StringIO()
    call_command("restore_backup", str(archive), dry_run=True, stdout=out)
    assert "verified, nothing written" in out.getvalue()
    assert "note: the target is not empty" in out.getvalue()
    assert list(Page.objects.values_list("pk", "title")) == pages
    with fresh_database(tmp_path):
        storage = InMemoryStorage()
        storage.save("already-there.txt", io.BytesIO(b"x"))
        with pytest.raises(BackupError, match="and media files"):
            restore_backup(archive, using=RESTORE, storage=storage)
        assert connections[RESTORE].introspection.table_names() == []


def test_the_database_password_goes_through_the_environment_only():
    env = _pg_env({"NAME": "bastide", "USER": "bastide", "PASSWORD": "s3cret", "HOST": "db"})
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db"


def test_a_missing_postgresql_client_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=PG_CLIENT_INSTALL):
        _run_pg("pg_dump", ["--version"], connections["default"])


def test_a_backup_never_overwrites_an_archive(tmp_path):
    (tmp_path / "b.tar").write_bytes(b"")
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", output=str(tmp_path / "b.tar"))
