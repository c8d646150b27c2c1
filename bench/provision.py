"""Provisioning benchmark: Bastide's site factory against a naive page.add_child() loop.

    .venv/bin/python bench/provision.py [--dordogne] [--keep]

Every run starts from fresh databases of the kind DATABASE_URL names: on PostgreSQL
`<name>_bench` and `<name>_bench_naive`, made through the `postgres` maintenance database and
dropped at the end (unless --keep); otherwise SQLite files in a temporary directory. One is
migrated and loaded with the registry (the shipped one, or with --dordogne the 503 communes
of bench/data/), then cloned, so both implementations start from the same state.

Bastide provisions everything with the django-tasks DummyBackend, so the search and reference
indexing it defers is not counted inline; those tasks are then run and timed apart, as the
background work they are. The naive loop (bench/naive.py) runs with the immediate backend:
Wagtail's signal handlers index each page as it is saved, as they do by default.

Prints figures; asserts nothing about time.
"""

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import dj_database_url  # noqa: E402
import django  # noqa: E402

DORDOGNE_FILE = ROOT / "bench" / "data" / "dordogne-communes.json"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Rows only the factory writes: its own bookkeeping, which the naive loop does without.
FACTORY_ONLY = {"sitefactory.ProvisionedPage", "sitefactory.ProvisioningLog"}


# -- throwaway databases -----------------------------------------------------------------------


class Databases:
    """Two fresh databases of the kind DATABASE_URL names: the factory's and the naive one."""

    def __init__(self, url):
        self.config = dj_database_url.parse(url)
        self.postgres = "postgresql" in self.config["ENGINE"]
        if self.postgres:
            base = self.config["NAME"] or "bastide"
            self.names = {"bastide": f"{base}_bench", "naive": f"{base}_bench_naive"}
        else:
            self.tmp = tempfile.TemporaryDirectory(prefix="bastide-bench-")
            self.names = {
                k: str(Path(self.tmp.name) / f"{k}.sqlite3") for k in ("bastide", "naive")
            }

    def url(self, key):
        if not self.postgres:
            return f"sqlite:///{self.names[key]}"
        c = self.config
        auth = c["USER"] + (f":{c['PASSWORD']}" if c["PASSWORD"] else "")
        port = f":{c['PORT']}" if c["PORT"] else ""
        return f"postgres://{auth}@{c['HOST'] or 'localhost'}{port}/{self.names[key]}"

    @contextmanager
    def maintenance(self):
        import psycopg

        c = self.config
        with psycopg.connect(
            dbname="postgres",
            user=c["USER"] or None,
            password=c["PASSWORD"] or None,
            host=c["HOST"] or None,
            port=c["PORT"] or None,
            autocommit=True,
        ) as conn:
            yield conn

    @staticmethod
    def _execute(conn, template, *names):
        from psycopg import sql

        conn.execute(sql.SQL(template).format(*(sql.Identifier(n) for n in names)))

    def create(self, key):
        if self.postgres:
            with self.maintenance() as conn:
                self._execute(conn, "DROP DATABASE IF EXISTS {} WITH (FORCE)", self.names[key])
                self._execute(conn, "CREATE DATABASE {}", self.names[key])

    def clone(self, source, target):
        """Copy a migrated, loaded database. No connection may be open on `source`."""
        if self.postgres:
            with self.maintenance() as conn:
                self._execute(conn, "DROP DATABASE IF EXISTS {} WITH (FORCE)", self.names[target])
                self._execute(
                    conn, "CREATE DATABASE {} TEMPLATE {}", self.names[target], self.names[source]
                )
        else:
            src = sqlite3.connect(self.names[source])
            dst = sqlite3.connect(self.names[target])
            with dst:
                src.backup(dst)
            src.close()
            dst.close()

    def drop(self):
        if self.postgres:
            with self.maintenance() as conn:
                for name in self.names.values():
                    self._execute(conn, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
        else:
            self.tmp.cleanup()


class ThrowawayDatabase(Databases):
    """One fresh database for another benchmark, named apart: `<name>_bench_<suffix>` on
    PostgreSQL, a temporary SQLite file otherwise. Its key is "bastide"."""

    def __init__(self, url, suffix):
        super().__init__(url)
        if self.postgres:
            base = self.config["NAME"] or "bastide"
            self.names = {"bastide": f"{base}_bench_{suffix}"}
        else:
            self.names = {"bastide": str(Path(self.tmp.name) / f"{suffix}.sqlite3")}


def use_database(url):
    """Point Django's default connection at another database, forgetting what it cached."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = dj_database_url.parse(url)["NAME"]
    ContentType.objects.clear_cache()
    caches["default"].clear()


def vendor():
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return f"SQLite {sqlite3.sqlite_version}"


# -- the registry ------------------------------------------------------------------------------


def load_shipped_registry():
    from django.conf import settings
    from django.db import transaction

    from communes.services.registry import load_registry_file

    with transaction.atomic():
        return load_registry_file(settings.BASTIDE_REGISTRY_FILE).summary


def load_dordogne(path=DORDOGNE_FILE):
    """The 503 communes of Dordogne as the communes of one Pays, outside any EPCI row."""
    from django.db import transaction

    from communes.models import Collectivite
    from communes.services.registry import PAYS_CODE, RegistryWriter

    pays = {"code": PAYS_CODE, "kind": Collectivite.Kind.PAYS, "name": "Pays de Dordogne"}
    rows = [pays | {"slug": "dordogne"}]
    rows += [
        {
            "code": commune["code_insee"],
            "kind": Collectivite.Kind.COMMUNE,
            "name": commune["nom"],
            "postcodes": list(commune.get("codes_postaux", [])),
            "population": commune.get("population"),
            "outside_epci_name": commune.get("epci_nom", ""),
            "latitude": commune.get("lat"),
            "longitude": commune.get("lon"),
        }
        for commune in json.loads(Path(path).read_text(encoding="utf-8"))
    ]
    counts = {}
    with transaction.atomic():
        writer = RegistryWriter()
        for row in rows:
            result = writer.upsert(row)
            counts[result] = counts.get(result, 0) + 1
    return ", ".join(f"{result} {n}" for result, n in sorted(counts.items()))


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Measure:
    seconds: float = 0.0
    queries: int = 0
    steps: list = field(default_factory=list)  # seconds per collectivité, in order
    note: str = ""

    def ms(self, count):
        return 1000 * self.seconds / count

    def quarter_ms(self, which):
        """Mean time of the first or last quarter of the collectivités, the Pays left out."""
        steps = self.steps[1:]
        if not steps:
            return None
        q = max(len(steps) // 4, 1)
        return 1000 * statistics.fmean(steps[:q] if which == "first" else steps[-q:])


@contextmanager
def measuring():
    """Wall time and number of queries of the block."""
    from django.db import connection

    measure = Measure()

    def count(execute, sql, params, many, context):
        measure.queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        yield measure
        measure.seconds = time.perf_counter() - start


class Steps:
    """A progress callback recording how long each collectivité took."""

    def __init__(self, measure):
        self.measure = measure
        self.last = time.perf_counter()

    def __call__(self, *args):
        now = time.perf_counter()
        self.measure.steps.append(now - self.last)
        self.last = now


def run_bastide():
    from django.test import override_settings
    from django_tasks import default_task_backend

    from communes.models import Collectivite
    from sitefactory.services.provisioning import provision

    with override_settings(TASKS=DUMMY_TASKS):
        with measuring() as first:
            first.note = provision(Collectivite.objects.all(), progress=Steps(first)).summary

        # What the run left for a worker: the factory's index_pages, and the indexing Wagtail's
        # signal handlers enqueue for the few rows saved one at a time.
        enqueued = list(default_task_backend.results)
        default_task_backend.clear()
        kinds = {}
        with measuring() as background:
            for result in enqueued:
                result.task.call(*result.args, **result.kwargs)
                kinds[result.task.name] = kinds.get(result.task.name, 0) + 1
        background.note = ", ".join(f"{n} × {name}" for name, n in sorted(kinds.items()))

        with measuring() as rerun:
            rerun.note = provision(Collectivite.objects.all(), progress=Steps(rerun)).summary
    return first, background, rerun


def run_naive():
    from django.conf import settings
    from django.test import override_settings

    from bench.naive import NaiveProvisioner
    from communes.models import Collectivite
    from sitefactory.services import provisioning

    with override_settings(TASKS=IMMEDIATE_TASKS), measuring() as naive:
        provisioner = NaiveProvisioner(settings)
        steps = Steps(naive)
        items = provisioning.provisioning_order(Collectivite.objects.all())
        for position, c in enumerate(items, start=1):
            # The factory's remedy for PostgreSQL's stale foreign-key plans, so that the
            # comparison is about the way rows are written.
            if position % provisioning.REPLAN_EVERY == 0:
                provisioning.replan_foreign_key_checks()
            provisioner.provision(c)
            steps()
    naive.note = f"{len(items)} provisioned"
    return naive


def rows_by_model():
    from django.apps import apps

    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def tree_sound():
    from wagtail.models import Collection, Page

    return all(not problems for problems in Page.find_problems() + Collection.find_problems())


# -- main --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dordogne", action="store_true", help="the 503 communes of Dordogne")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway databases")
    args = parser.parse_args()

    dbs = Databases(os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}")
    dbs.create("bastide")
    os.environ["DATABASE_URL"] = dbs.url("bastide")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Count

    from communes.models import Collectivite

    # Query logging would slow both sides down; production runs without it.
    settings.DEBUG = False
    results = {"args": args, "dbs": dbs}
    try:
        start = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        results["loaded"] = load_dordogne() if args.dordogne else load_shipped_registry()
        results["kinds"] = dict(
            Collectivite.objects.order_by().values_list("kind").annotate(n=Count("pk"))
        )
        results["vendor"] = vendor()
        connections.close_all()
        dbs.clone("bastide", "naive")
        results["setup"] = time.perf_counter() - start

        use_database(dbs.url("bastide"))
        results["bastide"], results["background"], results["rerun"] = run_bastide()
        results["rows_bastide"], results["sound_bastide"] = rows_by_model(), tree_sound()

        use_database(dbs.url("naive"))
        results["naive"] = run_naive()
        results["rows_naive"], results["sound_naive"] = rows_by_model(), tree_sound()
    finally:
        connections.close_all()
        if not args.keep:
            dbs.drop()
    print_report(**results)


def print_report(*, args, dbs, loaded, kinds, vendor, setup, bastide, background, rerun, naive,
                 rows_bastide, rows_naive, sound_bastide, sound_naive):  # fmt: skip
    count = sum(kinds.values())
    pages = rows_bastide["wagtailcore.Page"]
    order = ["pays", "epci", "syndicat", "commune"]
    kinds_text = ", ".join(f"{kinds[k]} {k}" for k in sorted(kinds, key=order.index))
    print(
        f"Provisioning benchmark — {vendor} — {count} collectivités ({kinds_text}), {pages} pages"
    )
    print(f"registry: {loaded}; fresh databases ready in {setup:.1f} s (not counted)")
    print()
    header = f"{'':40}{'ms/coll.':>9}{'1st ¼':>8}{'last ¼':>8}{'queries/coll.':>15}{'total s':>9}"
    print(header)
    print("-" * len(header))
    for label, m in (
        ("Bastide provisioning", bastide),
        ("  + its deferred indexing (background)", background),
        (f"Bastide re-run ({rerun.note.split(', ')[2]})", rerun),
        ("Naive add_child loop", naive),
    ):
        quarters = "".join(
            f"{q:>8.1f}" if q is not None else f"{'':>8}"
            for q in (m.quarter_ms("first"), m.quarter_ms("last"))
        )
        print(f"{label:40}{m.ms(count):>9.1f}{quarters}{m.queries / count:>15.1f}{m.seconds:>9.2f}")
    print("-" * len(header))
    ratio = naive.ms(count) / bastide.ms(count)
    with_background = naive.ms(count) / (bastide.ms(count) + background.ms(count))
    print(
        f"Naive ÷ Bastide: {ratio:.1f}×  "
        f"(÷ Bastide with its background indexing: {with_background:.1f}×)"
    )
    print()
    print(f"Bastide: {bastide.note}; background tasks: {background.note}")
    same = [k for k in rows_bastide if rows_bastide[k] == rows_naive[k] and rows_bastide[k]]
    differ = [
        f"{k} {rows_bastide[k]}/{rows_naive[k]}"
        for k in sorted(rows_bastide)
        if rows_bastide[k] != rows_naive[k] and k not in FACTORY_ONLY
    ]
    print(
        f"Rows written, Bastide vs naive: same count in {len(same)} tables"
        + (f"; differ: {', '.join(differ)}" if differ else "")
    )
    print(
        "Trees sound (Page and Collection find_problems): "
        f"Bastide {'yes' if sound_bastide else 'NO'}, naive {'yes' if sound_naive else 'NO'}"
    )
    if args.keep:
        print(f"Databases kept: {', '.join(dbs.names.values())}")


if __name__ == "__main__":
    main()
