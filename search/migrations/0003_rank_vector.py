"""On PostgreSQL: a smaller vector to rank matches with, kept inside the row (storage MAIN)
and filled here for the entries already indexed; the long texts compressed with lz4, which
reads back several times faster than the default pglz (a page of results reads the bodies
of long PDFs for their snippets)."""

import django.contrib.postgres.search
from django.db import DatabaseError, migrations, transaction

from parsing.text import fold

# The start of the body that ranks (search.engines.postgres.RANK_BODY).
RANK_BODY = 1500
RANK_VECTOR = (
    "setweight(to_tsvector('french', %s), 'A') || setweight(to_tsvector('french', %s), 'A')"
    " || setweight(to_tsvector('french', %s), 'B') || setweight(to_tsvector('french', %s), 'D')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN rank_vector SET STORAGE MAIN")
    try:
        with transaction.atomic():
            for column in ("body", "vector"):
                schema_editor.execute(
                    f"ALTER TABLE search_searchentry ALTER COLUMN {column} SET COMPRESSION lz4"
                )
    except DatabaseError:
        pass  # a server built without lz4 keeps pglz
    entry = apps.get_model("search", "SearchEntry")
    sql = f"UPDATE search_searchentry SET rank_vector = {RANK_VECTOR} WHERE id = %s"
    entries = entry.objects.only("title", "keywords", "summary", "body").iterator(chunk_size=500)
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for e in entries:
            body = fold(e.body)[:RANK_BODY]
            batch.append((fold(e.title), fold(e.keywords), fold(e.summary), body, e.pk))
            if len(batch) == 500:
                cursor.executemany(sql, batch)
                batch = []
        cursor.executemany(sql, batch)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_structures")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]
