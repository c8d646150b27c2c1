"""The migrated empty SQLite database, as SQL (`sitefactory/demo/sqlite-schema.sql`).

Applying the ~300 migrations of Django, Wagtail and Bastide to a new SQLite database takes
25 s, nearly all of it in Python rendering the model states between migrations. Loading the
same database from SQL takes 0.03 s. The demo (`manage.py seed`) loads it when the database
is empty and the snapshot was made from exactly the migrations on disk; otherwise it
migrates. `manage.py sqlite_snapshot` writes it again; a test fails when it is stale or when
it differs from what the migrations make (sitefactory/tests/test_seeding.py).

Production and CI (PostgreSQL) always migrate.
"""

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings

PATH = Path(__file__).resolve().parent.parent / "demo" / "sqlite-schema.sql"
HEADER = "-- migrations: "
# The time each migration was applied: one fixed value, so that the file only changes when
# the schema does.
APPLIED = "2000-01-01 00:00:00"


def migration_files():
    """(app label, path) of every migration file on disk, in order: each app's `migrations`
    folder (Bastide sets no MIGRATION_MODULES), read without importing (some migrations read
    the database as they are imported). tests/database.py keys its test databases on them too."""
    files = []
    for app in apps.get_app_configs():
        for path in sorted((Path(app.path) / "migrations").glob("*.py")):
            if path.name[0] not in "_~":
                files.append((app.label, path))
    return files


def migrations_key():
    """A digest of the migrations on disk, names and contents, and of the Django and
    Wagtail versions (whose migrations and data may change with them)."""
    import django
    import wagtail

    digest = hashlib.sha256(f"{django.__version__}\0{wagtail.__version__}\0".encode())
    for label, path in migration_files():
        digest.update(f"{label}/{path.name}".encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshot_key(path=PATH):
    try:
        with open(path, encoding="utf-8") as file:
            first = file.readline()
    except FileNotFoundError:
        return None
    return first[len(HEADER) :].strip() if first.startswith(HEADER) else None


def applies(connection, path=PATH):
    """An empty SQLite database, and a snapshot of the migrations on disk."""
    return (
        connection.vendor == "sqlite"
        and not connection.introspection.table_names()
        and snapshot_key(path) == migrations_key()
    )


def load(connection, path=PATH):
    connection.ensure_connection()
    connection.connection.executescript(path.read_text(encoding="utf-8"))


def dump(database):
    """The SQL of a SQLite database file, with the snapshot's header.

    Not `iterdump()`: it writes full-text (FTS5) tables straight into `sqlite_master`, which
    leaves them without their shadow tables. Here every table is created by its own
    statement, in the order SQLite recorded them, then filled, then indexed.
    """
    db = sqlite3.connect(database)
    try:
        db.execute("UPDATE django_migrations SET applied = ?", (APPLIED,))
        db.commit()
        lines = ["BEGIN TRANSACTION;", *_statements(db), "COMMIT;"]
    finally:
        db.close()
    return f"{HEADER}{migrations_key()}\n" + "\n".join(lines) + "\n"


def _statements(db):
    kinds = {name: kind for _schema, name, kind, *_rest in db.execute("PRAGMA table_list")}
    objects = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    # Shadow tables (a full-text table's storage) come with the table that owns them.
    tables = [
        (name, sql)
        for kind, name, sql in objects
        if kind == "table" and kinds.get(name) != "shadow" and not name.startswith("sqlite_")
    ]
    for _name, sql in tables:
        yield f"{sql};"
    for name, sql in tables:
        if not sql.upper().startswith("CREATE VIRTUAL"):
            yield from _rows(db, name)
    for name, seq in db.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
        yield f"INSERT INTO sqlite_sequence VALUES({_quote(db, name)}, {int(seq)});"
    for kind, name, sql in objects:
        if kind in ("index", "trigger", "view") and kinds.get(name) != "shadow":
            yield f"{sql};"


def _rows(db, table):
    columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
    values = " || ',' || ".join(f'quote("{column}")' for column in columns)
    query = f'SELECT {values} FROM "{table}" ORDER BY rowid'  # noqa: S608 - our own schema's names
    for (row,) in db.execute(query):
        yield f'INSERT INTO "{table}" VALUES({row});'


def _quote(db, text):
    return db.execute("SELECT quote(?)", (text,)).fetchone()[0]


def migrate_new_database(database):
    """Apply every migration to a new SQLite file, in a process of its own (this one is
    configured for another database)."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    env.pop("DATABASE_REPLICA_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


def write(path=PATH):
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "schema.sqlite3"
        migrate_new_database(database)
        sql = dump(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sql, encoding="utf-8")
    return path
