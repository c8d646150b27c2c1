"""The demo's seed in one process (`manage.py seed`, `make seed`, `make demo`).

Each step is an idempotent command that can also run alone. Run together they share one
start-up, and the indexes are built once at the end instead of after every change: the
steps' changes would otherwise send some 6,000 index updates, each reading what the search
entries are made of, which took more time than the steps themselves (docs/scaling.md,
"A faster start").
"""

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection
from django_tasks import task_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from sitefactory.services import sqlite_snapshot

# What the steps would run after each change, and the one rebuild that replaces them all.
DEFERRED_TASKS = frozenset(
    {
        "search.tasks.update_index",  # the visitors' index
        "sitefactory.tasks.index_pages",  # pages the factory inserted in bulk
        "modelsearch.tasks.insert_or_update_object_task",  # the admin's search
        "wagtail.tasks.update_reference_index_task",  # "used by" in the admin
    }
)

# The content of the demo, in the order each step needs the previous one.
STEPS = (
    ("load_registry", {}),
    ("provision", {"all": True}),
    ("create_demo_content", {}),
    ("seed_directory", {}),
    ("seed_newcomers", {}),
    ("seed_applications", {}),
    ("seed_occitan", {}),
    ("seed_commune_photos", {}),
)


@dataclass
class SeedReport:
    timings: list = field(default_factory=list)  # (step, seconds)
    deferred: Counter = field(default_factory=Counter)
    schema: str = ""  # how the schema came: "snapshot" or "migrations"

    def add(self, step, started):
        self.timings.append((step, time.monotonic() - started))

    @property
    def total(self):
        return sum(seconds for _step, seconds in self.timings)


@contextmanager
def deferred_indexing():
    """Within: the index tasks are counted, not run (nor queued, whatever the backend).
    The caller rebuilds the indexes afterwards (`rebuild_indexes`)."""
    backend = task_backends["default"]
    original = backend.enqueue
    skipped = Counter()

    def enqueue(task, args, kwargs):
        if task.module_path in DEFERRED_TASKS:
            skipped[task.module_path] += 1
            return None  # the callers of these tasks never read the result
        return original(task, args, kwargs)

    backend.enqueue = enqueue
    try:
        with disable_reference_index_auto_update():
            yield skipped
    finally:
        del backend.enqueue  # the class's method again


def rebuild_indexes(stdout=None):
    """Every index from scratch, each in bulk: the admin's search, the references, and the
    visitors' search (search.indexing.reindex)."""
    from search import indexing

    call_command("update_index", verbosity=0, stdout=stdout)
    call_command("rebuild_references_index", verbosity=0, stdout=stdout)
    return indexing.reindex()


def migrate(stdout=None):
    """An empty SQLite database gets the schema from the snapshot when it matches the
    migrations (sitefactory.services.sqlite_snapshot); `migrate` then has nothing left to
    apply but still runs what follows migrations (content types, permissions)."""
    how = "migrations"
    if sqlite_snapshot.applies(connection):
        sqlite_snapshot.load(connection)
        how = "snapshot"
    call_command("migrate", interactive=False, verbosity=0, stdout=stdout)
    return how


def seed(stdout=None):
    """Migrate, fill the demo, index once. Neither the demo accounts (the command creates
    them last, so that their passwords end its output) nor the bake (`make seed` bakes at
    once, `make demo` while serving)."""
    report = SeedReport()
    started = time.monotonic()
    report.schema = migrate(stdout)
    report.add("migrate", started)
    with deferred_indexing() as skipped:
        for name, options in STEPS:
            started = time.monotonic()
            call_command(name, stdout=stdout, **options)
            report.add(name, started)
    report.deferred = skipped
    started = time.monotonic()
    rebuild_indexes(stdout)
    report.add("index", started)
    return report
