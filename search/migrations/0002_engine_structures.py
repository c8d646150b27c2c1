"""What each database's engine needs beside the table: PostgreSQL a GIN index on the French
vector, SQLite an FTS5 table of stems (search.engines)."""

from django.db import migrations

GIN = "search_entry_vector_gin"
FTS = "search_fts"
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "title, keywords, summary, body, scope, tokenize = 'unicode61 remove_diacritics 0')"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN} ON search_searchentry USING gin (vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
