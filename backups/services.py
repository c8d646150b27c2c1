"""Backups of a whole install: the database and the media files in one tar archive.

An archive holds `database/…` (pg_dump's custom format, or a SQLite database file), `media/…`
(every file of the storage, read through Django's storage API, so a filesystem, an in-memory
or an S3 storage alike) and, as its last member, `manifest.json`: versions, and the size and
SHA-256 of every other member. The manifest comes last on purpose: an archive cut short has
none and is refused. The checksums catch corruption and truncation, not a forger (whoever can
rewrite the archive can rewrite its manifest): archives are kept where only the Pays writes.

Restoring (backups.restore) verifies everything before it writes anything, and only into an
empty database and storage unless told to replace what is there.
"""

import datetime
import hashlib
import io
import json
import os
import platform
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections

FORMAT = "bastide-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database/"
MEDIA_DIR = "media/"
CHUNK = 1024 * 1024
ENGINES = {"postgresql": "bastide.pgdump", "sqlite": "bastide.sqlite3"}
PG_CLIENT_INSTALL = "apt-get install postgresql-client"


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for an operator."""


@dataclass
class BackupReport:
    path: Path
    engine: str
    media_files: int
    size: int


# --- Backup ----------------------------------------------------------------------------------


def create_backup(output=None, *, using="default", storage=None) -> BackupReport:
    """Write the database `using` and every file of `storage` (the default storage) to a new
    archive at `output`: a file name (`.tar`, or gzip-compressed `.tar.gz`/`.tgz`), a
    directory, or the current directory when None."""
    storage = storage if storage is not None else default_storage
    connection = connections[using]
    engine = _engine(connection)
    path = _output_path(output)
    partial = path.with_name(path.name + ".partial")
    created_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    entries = []
    try:
        # The archive holds every account's password hash and every form submission.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise BackupError(f"{partial} exists: another backup is running, or remove it") from error
    except OSError as error:
        raise BackupError(f"cannot write {partial}: {error.strerror}") from error
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tarfile.open(fileobj=raw, mode=_write_mode(path)) as tar,
            tempfile.TemporaryDirectory(prefix=".bastide-backup-", dir=path.parent) as tmp,
        ):
            # The database first: a file referenced by the dump was written before it, so it
            # is in the storage when the media are read just after.
            dump = Path(tmp) / ENGINES[engine]
            server_version = _dump_database(connection, engine, dump)
            with dump.open("rb") as source:
                entries.append(
                    _add(tar, DATABASE_DIR + dump.name, source, dump.stat().st_size, created_at)
                )
            dump.unlink()
            for name in walk_storage(storage):
                with storage.open(name, "rb") as source:
                    entries.append(
                        _add(tar, MEDIA_DIR + name, source, storage.size(name), created_at)
                    )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created_at.isoformat(),
                "bastide_revision": _revision(),
                "database": {
                    "engine": engine,
                    "server_version": server_version,
                    "file": DATABASE_DIR + dump.name,
                },
                "versions": {
                    "django": django.get_version(),
                    "wagtail": wagtail.__version__,
                    "python": platform.python_version(),
                },
                "files": entries,
            }
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), created_at.timestamp(), 0o600
            tar.addfile(info, io.BytesIO(body))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(path, engine, len(entries) - 1, path.stat().st_size)


def walk_storage(storage, directory=""):
    """Every file name of a storage, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a filesystem storage whose MEDIA_ROOT was never created
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for name in sorted(directories):
        yield from walk_storage(storage, posixpath.join(directory, name) if directory else name)


class _HashingReader:
    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _add(tar, name, source, size, created_at):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, created_at.timestamp(), 0o600
    reader = _HashingReader(source)
    try:
        tar.addfile(info, reader)
    except OSError as error:  # tarfile: "unexpected end of data"
        raise BackupError(f"{name} changed while it was being read: {error}") from error
    return {"path": name, "size": size, "sha256": reader.sha256.hexdigest()}


def _output_path(output) -> Path:
    path = Path(output) if output else Path.cwd()
    if path.is_dir():
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        path = path / f"bastide-{stamp}.tar"
    if path.exists():
        raise BackupError(f"{path} exists: a backup never overwrites another")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    return path


def _write_mode(path):
    return "w:gz" if path.name.endswith((".tar.gz", ".tgz")) else "w"


def _engine(connection):
    if connection.vendor not in ENGINES:
        raise BackupError(f"no backup for a {connection.vendor} database")
    return connection.vendor


def _dump_database(connection, engine, target: Path) -> str:
    connection.ensure_connection()
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for the lock this very transaction holds, and
        # pg_dump would not see what it has not committed.
        raise BackupError("a backup cannot run inside a transaction")
    if engine == "sqlite":
        # The online backup API copies a consistent snapshot while the site goes on
        # writing (WAL), through Django's own connection: the very database it uses.
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    _run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={target}"], connection)
    return server_version


def _pg_env(settings_dict):
    """libpq's environment for a Django database: nothing secret on a command line, where
    every user of the machine could read it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
        "PGSERVICE": options.get("service"),
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _run_pg(program, arguments, connection):
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is missing: install the PostgreSQL client, of a version at least the "
            f"server's (Debian, Ubuntu: `{PG_CLIENT_INSTALL}`)"
        )
    result = subprocess.run(  # noqa: S603 (a fixed program, no shell, no secret in arguments)
        [executable, *arguments],
        env=_pg_env(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


def _revision():
    """The Bastide commit, from the image (BASTIDE_REVISION) or the checkout, if known."""
    revision = os.environ.get("BASTIDE_REVISION", "").strip()
    if revision:
        return revision
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None
