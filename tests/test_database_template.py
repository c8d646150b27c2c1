"""The test databases are copied from a migrated template (tests/database.py): its key must
change whenever what the migrations would build changes, or a run would test a stale schema."""

from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from tests import database


def test_the_template_key_follows_every_migration_file(migrated_db, tmp_path, monkeypatch):
    folder = tmp_path / "migrations"
    folder.mkdir()
    migration = folder / "0001_initial.py"
    migration.write_text("operations = []\n")
    app = SimpleNamespace(label="sample", path=str(tmp_path))
    monkeypatch.setattr(apps, "get_app_configs", lambda: [app])

    key = database.template_key()
    assert database.template_key() == key  # stable while nothing changes
    migration.write_text("operations = ['changed']\n")
    changed = database.template_key()
    assert changed != key
    (folder / "0002_more.py").write_text("operations = []\n")
    assert database.template_key() not in (key, changed)


def test_the_worker_database_holds_the_migrated_state_and_its_serialization(migrated_db):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert connection._test_serialized_contents.startswith("[")
    # A copy: the tests never write into the template itself.
    assert "_tpl_" not in str(connection.settings_dict["NAME"])
