"""Verifying an archive, and restoring it: everything is checked before anything is
written, and only into an empty database and storage unless told to replace what is there.
"""

import hashlib
import json
import logging
import posixpath
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections

from backups.services import (
    CHUNK,
    DATABASE_DIR,
    ENGINES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_DIR,
    BackupError,
    _engine,
    _run_pg,
    walk_storage,
)

logger = logging.getLogger(__name__)


@dataclass
class RestoreReport:
    path: Path
    engine: str
    media_files: int
    created_at: str
    dry_run: bool = False
    target_not_empty: str = ""  # why a restore would be refused without force


def verify_backup(path) -> dict:
    """The manifest of a complete, intact archive; BackupError for anything else. Reads every
    byte of the archive."""
    path = Path(path)
    found = {}
    manifest = None
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                if manifest is not None:
                    raise BackupError(f"{path}: {member.name} follows the manifest")
                if member.name == MANIFEST and member.isfile():
                    manifest = _load_manifest(path, tar.extractfile(member).read())
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"{path}: unexpected member {member.name!r}")
                if member.name in found:
                    raise BackupError(f"{path}: {member.name} appears twice")
                digest, size = hashlib.sha256(), 0
                source = tar.extractfile(member)
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                found[member.name] = {"size": size, "sha256": digest.hexdigest()}
    except FileNotFoundError as error:
        raise BackupError(f"{path}: no such file") from error
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(f"{path} is damaged or truncated: {error}") from error
    if manifest is None:
        raise BackupError(f"{path} has no manifest: it is truncated or not a Bastide backup")
    expected = {entry["path"]: entry for entry in manifest["files"]}
    missing = sorted(expected.keys() - found.keys())
    unlisted = sorted(found.keys() - expected.keys())
    if missing or unlisted:
        raise BackupError(
            f"{path} does not match its manifest: missing {missing[:5]}, unlisted {unlisted[:5]}"
        )
    for name, entry in expected.items():
        if (entry["size"], entry["sha256"]) != (found[name]["size"], found[name]["sha256"]):
            raise BackupError(f"{path}: checksum mismatch on {name}: the archive is corrupted")
    if manifest["database"]["file"] not in expected:
        raise BackupError(f"{path}: the manifest names no database file")
    return manifest


def _load_manifest(path, body):
    try:
        manifest = json.loads(body)
        valid = manifest.get("format") == FORMAT and isinstance(manifest.get("files"), list)
        engine = manifest["database"]["engine"]
        for entry in manifest["files"]:
            valid = valid and {"path", "size", "sha256"} <= entry.keys()
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{path}: unreadable manifest ({error})") from error
    if not valid or engine not in ENGINES:
        raise BackupError(f"{path}: not a Bastide backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path}: format version {manifest.get('format_version')!r}; this Bastide reads "
            f"version {FORMAT_VERSION}"
        )
    return manifest


def _safe_name(name):
    parts = name.split("/")
    return (
        name.startswith((DATABASE_DIR, MEDIA_DIR))
        and len(parts) > 1
        and all(part not in {"", ".", ".."} for part in parts)
        and "\\" not in name
        and "\x00" not in name
    )


def restore_backup(path, *, using="default", storage=None, force=False, dry_run=False):
    """Load an archive into the database `using` and `storage` (the default storage).

    Nothing is written before the whole archive is verified. Both must be empty (no table, no
    file) unless `force`: then every table is dropped first and files of the same name are
    replaced (other files stay). With `dry_run`, only verify the archive and look at the
    target (`target_not_empty`): a check of last night's archive on the live server."""
    path = Path(path)
    storage = storage if storage is not None else default_storage
    manifest = verify_backup(path)
    connection = connections[using]
    engine = manifest["database"]["engine"]
    if engine != _engine(connection):
        raise BackupError(
            f"{path} holds a {engine} database; the database {using!r} is {connection.vendor}"
        )
    tables = connection.introspection.table_names()
    has_media = next(iter(walk_storage(storage)), None) is not None
    media = [entry["path"] for entry in manifest["files"] if entry["path"].startswith(MEDIA_DIR)]
    report = RestoreReport(path, engine, len(media), manifest["created_at"], dry_run)
    if tables or has_media:
        report.target_not_empty = (
            f"the target is not empty ({len(tables)} tables"
            f"{', and media files' if has_media else ''}): restore into an empty database and "
            "storage, or pass --force to replace their content"
        )
        if not force and not dry_run:
            raise BackupError(report.target_not_empty)
    if dry_run:
        return report
    with (
        tarfile.open(path, "r:*") as tar,
        tempfile.TemporaryDirectory(prefix=".bastide-restore-") as tmp,
    ):
        dump = Path(tmp) / ENGINES[engine]
        with dump.open("wb") as target:
            shutil.copyfileobj(tar.extractfile(manifest["database"]["file"]), target, CHUNK)
        if engine == "sqlite":
            # The backup API replaces the whole content of the configured database.
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            if tables:
                _drop_tables(connection, tables)
            _run_pg(
                "pg_restore",
                [
                    # Roles and grants of the old server need not exist on this one.
                    "--no-owner",
                    "--no-acl",
                    "--exit-on-error",
                    "--single-transaction",
                    "--no-password",
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(dump),
                ],
                connection,
            )
        dump.unlink()
        for name in media:
            _restore_file(storage, name[len(MEDIA_DIR) :], tar.extractfile(name))
    if using == "default":
        _clear_cache()
    return report


def _drop_tables(connection, tables):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(map(quote, tables))} CASCADE")  # noqa: S608


def _restore_file(storage, name, source):
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, File(source, name=posixpath.basename(name)))
    if saved != name:
        raise BackupError(f"the storage saved {name} as {saved}")


def _clear_cache():
    # Cached pages, hostnames and Wagtail's site roots describe the database that was replaced.
    from django.core.cache import cache

    try:
        cache.clear()
    except Exception:  # a cache that is down holds nothing stale either
        logger.warning("restore: the cache could not be cleared", exc_info=True)
