"""The demo's seed: the SQLite schema snapshot it loads instead of migrating, and indexing
deferred to one rebuild at the end (sitefactory/services/seeding.py)."""

import os
import re
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from wagtail.models import Page, ReferenceIndex

from alerts.tasks import send_alerts_task
from communes.models import NewsPage
from conftest import COMMUNE_A
from search import engines, services
from search.models import SearchEntry
from sitefactory.models import ProvisionedPage
from sitefactory.services import seeding, sqlite_snapshot

UUID = re.compile(r"'[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}'")


def test_the_snapshot_was_made_from_the_migrations_on_disk():
    assert sqlite_snapshot.snapshot_key() == sqlite_snapshot.migrations_key(), (
        "A migration was added, removed or renamed since sitefactory/demo/sqlite-schema.sql "
        "was written: run `manage.py sqlite_snapshot`."
    )


def test_the_snapshot_is_exactly_what_the_migrations_make(tmp_path):
    """Tables, full-text tables, indexes, triggers and every row the migrations write."""
    database = tmp_path / "migrated.sqlite3"
    sqlite_snapshot.migrate_new_database(database)
    made = sqlite_snapshot.dump(database)
    kept = sqlite_snapshot.PATH.read_text(encoding="utf-8")
    assert _without_uuids(made).splitlines() == _without_uuids(kept).splitlines()


def _without_uuids(sql):
    """Wagtail's data migrations give the root page and collection random translation keys."""
    return UUID.sub("'<uuid>'", sql)


def test_a_database_loaded_from_the_snapshot_has_nothing_left_to_migrate(tmp_path):
    database = tmp_path / "loaded.sqlite3"
    db = sqlite3.connect(database)
    db.executescript(sqlite_snapshot.PATH.read_text(encoding="utf-8"))
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The full-text tables work (their shadow tables came with them).
    db.execute(
        "INSERT INTO search_fts(rowid, title, keywords, summary, body, scope) "
        "VALUES (1, 'Marché de Noël', '', '', '', 'site:1')"
    )
    assert db.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH 'noël'").fetchall()
    db.rollback()
    db.close()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    env.pop("DATABASE_REPLICA_URL", None)
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_snapshot_applies_only_to_an_empty_sqlite_database(db, tmp_path):
    from django.db import connection

    # The test database holds the migrated schema (and is PostgreSQL in CI).
    assert not sqlite_snapshot.applies(connection)
    stale = tmp_path / "stale.sql"
    stale.write_text(f"{sqlite_snapshot.HEADER}0000\n", encoding="utf-8")
    assert sqlite_snapshot.snapshot_key(stale) == "0000"
    assert sqlite_snapshot.snapshot_key(tmp_path / "missing.sql") is None


@pytest.fixture
def database_engine(settings):
    settings.ELASTICSEARCH_URL = ""
    engines._engines.clear()
    yield engines.get_engine()
    engines._engines.clear()


def test_deferred_indexing_holds_back_index_tasks_only_and_one_rebuild_finds_everything(
    communes, database_engine, django_capture_on_commit_callbacks
):
    a = communes[COMMUNE_A]
    news_index = ProvisionedPage.objects.get(collectivite=a, key="actualites").page.specific
    backend = task_backends["default"]
    with (
        seeding.deferred_indexing() as skipped,
        django_capture_on_commit_callbacks(execute=True),
    ):
        news = NewsPage(
            title="Le xylophone de la fanfare",
            slug="xylophone",
            intro=f'<p>Voir <a linktype="page" id="{news_index.pk}">les actualités</a>.</p>',
        )
        news_index.add_child(instance=news)
        news.save_revision().publish()
        other = send_alerts_task.enqueue()

    # Nothing indexed while seeding: not the visitors' search, the admin's or the references.
    assert skipped["search.tasks.update_index"] >= 1
    assert skipped["modelsearch.tasks.insert_or_update_object_task"] >= 1
    assert not SearchEntry.objects.filter(key=f"page:{news.pk}").exists()
    assert services.search("xylophone", site=a.site).total == 0
    assert not ReferenceIndex.get_references_for_object(news).exists()
    # Any other task ran as usual, and the backend is itself again.
    assert other.status == TaskResultStatus.SUCCESSFUL
    assert "enqueue" not in vars(backend)

    counts = seeding.rebuild_indexes()

    assert counts["pages"] >= 1
    assert [r.title for r in services.search("xylophone", site=a.site).results] == [news.title]
    assert news.pk in [p.pk for p in Page.objects.live().search("xylophone")]
    assert ReferenceIndex.get_references_for_object(news).exists()
