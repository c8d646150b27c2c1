"""The test database, copied from a migrated template instead of migrated for every run.

Migrating Wagtail's, wagtail-localize's and our apps' migrations takes most of a worker's
start (about 38 s on PostgreSQL). The result depends only on the migrations, the installed
versions and a few settings, so it is built once, kept, and copied for each worker:
- PostgreSQL: a template database `test_<name>_tpl_<key>` on the server, copied with
  `CREATE DATABASE … TEMPLATE …` (about a second);
- SQLite: a file in `.cache/testdb/`, copied into the worker's in-memory database with
  SQLite's backup API.
The key hashes every migration file of every installed app, the Django and Wagtail versions,
the database server, the language settings the migrations read and the snippet models (whose
publish and lock permissions Wagtail adds after migrating): change any of them and
the next run builds a new template (and drops the old ones). `pytest --create-db` rebuilds
it whatever the key. The migrated state Django serializes for flushes is kept beside the
template, so it is not recomputed either.

Both pytest-xdist workers may start at once: a file lock lets the first build the template
while the other waits, then each copies it.
"""

import fcntl
import hashlib
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

CACHE_DIR = Path(settings.BASE_DIR) / ".cache" / "testdb"


def template_key():
    import django
    import wagtail
    from wagtail.snippets.models import get_snippet_models

    from sitefactory.services.sqlite_snapshot import migration_files

    digest = hashlib.sha256()
    for part in (
        django.__version__,
        wagtail.__version__,
        connection.vendor,
        str(_server_version()),
        json.dumps([code for code, _name in settings.LANGUAGES]),
        json.dumps([code for code, _name in getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", [])]),
        json.dumps(settings.INSTALLED_APPS),
        # Wagtail adds the publish/lock permissions of the snippet models after migrating.
        json.dumps(sorted(model._meta.label for model in get_snippet_models())),
    ):
        digest.update(part.encode() + b"\0")
    for label, path in migration_files():
        digest.update(f"{label}/{path.name}".encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _server_version():
    if connection.vendor == "postgresql":
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            return cursor.fetchone()[0]
    return sqlite3.sqlite_version


@contextmanager
def _locked(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def create_test_database(*, rebuild=False, verbosity=0):
    """Point the default connection at a fresh test database holding the migrated state;
    return the original database name, for `destroy_test_database`."""
    old_name = connection.settings_dict["NAME"]
    if connection.vendor not in ("postgresql", "sqlite"):
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True)
        return old_name
    key = template_key()
    base = (
        f"test_{Path(str(old_name)).stem}" if connection.vendor == "sqlite" else f"test_{old_name}"
    )
    template = f"{base}_tpl_{key}"
    serialized = CACHE_DIR / f"{connection.vendor}-{template}.json"
    with _locked(CACHE_DIR / f"{connection.vendor}-{base}.lock"):
        if connection.vendor == "postgresql":
            _postgres(template, serialized, rebuild, verbosity)
        else:
            _sqlite(template, serialized, rebuild, verbosity)
    connection._test_serialized_contents = serialized.read_text()
    return old_name


def destroy_test_database(old_name, verbosity=0):
    connection.creation.destroy_test_db(old_name, verbosity=verbosity)


def _use(name):
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _build(template_name, serialized, verbosity):
    """Migrate a new database named `template_name` the way Django makes a test database, and
    write its serialized contents beside it."""
    test_settings = connection.settings_dict["TEST"]
    worker_name = test_settings.get("NAME")
    test_settings["NAME"] = template_name
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
    finally:
        test_settings["NAME"] = worker_name
    serialized.write_text(connection.creation.serialize_db_to_string())


def _postgres(template, serialized, rebuild, verbosity):
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s",
            [f"{template.rsplit('_tpl_', 1)[0]}_tpl_%"],
        )
        existing = {row[0] for row in cursor.fetchall()}
    if rebuild or template not in existing or not serialized.exists():
        _build(template, serialized, verbosity)
        _use(old_name)
        existing.discard(template)
        with connection.creation._nodb_cursor() as cursor:
            for stale in existing:
                cursor.execute(f'DROP DATABASE IF EXISTS "{stale}"')
                (CACHE_DIR / f"postgresql-{stale}.json").unlink(missing_ok=True)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}"')
        cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
    _use(test_name)
    connection.ensure_connection()


def _sqlite(template, serialized, rebuild, verbosity):
    path = CACHE_DIR / f"sqlite-{template}.sqlite3"
    if rebuild or not path.exists() or not serialized.exists():
        for stale in CACHE_DIR.glob(f"sqlite-{template.rsplit('_tpl_', 1)[0]}_tpl_*"):
            stale.unlink()
        _build("", serialized, verbosity)  # Django's in-memory test database
        partial = path.with_suffix(".partial")
        target = sqlite3.connect(partial)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        partial.replace(path)
        return
    _use(connection.creation._get_test_db_name())
    connection.ensure_connection()
    source = sqlite3.connect(path)
    source.backup(connection.connection)
    source.close()


def require_postgresql(why):
    """Skip, with a printed reason, a test that needs PostgreSQL when the suite runs on
    SQLite (`make test` runs it on PostgreSQL). `why` says what needs it."""
    import warnings

    import pytest

    if connection.vendor != "postgresql":
        reason = f"{why} Run with DATABASE_URL=postgres://… to test it."
        warnings.warn(reason, pytest.PytestWarning, stacklevel=2)
        pytest.skip(reason)
