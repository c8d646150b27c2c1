"""Directory benchmark: "near me" over 10,000 entries, then the comarquage import.

    .venv/bin/python bench/directory.py [--entries 10000] [--queries 500] [--keep]

On a throwaway database of the kind DATABASE_URL names (PostgreSQL `<name>_bench_directory`,
dropped at the end unless --keep; otherwise a temporary SQLite file): migrates, loads the
registry, spreads synthetic entries over Dordogne, and times `directory.services.geo.nearest`
(the 20 nearest within 10 km, as the services page and the GeoJSON API ask it) from random
points, warm. Then runs bench/directory_import.py (5,000 comarquage fiches, imported then
re-imported unchanged). Prints figures; asserts nothing about time.

Targets: nearest p95 ≤ 20 ms; first import ≤ 60 s; re-import ≤ 10 % of the first.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

from bench.provision import ThrowawayDatabase  # noqa: E402

# Dordogne, roughly: where the entries and the visitors are.
SOUTH, NORTH, WEST, EAST = 44.57, 45.71, -0.04, 1.45


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--no-import", action="store_true", help="skip the comarquage part")
    args = parser.parse_args()

    db = ThrowawayDatabase(
        os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}", "directory"
    )
    db.create("bastide")
    os.environ["DATABASE_URL"] = db.url("bastide")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        call_command("load_registry", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        nearest_figures(args)
    finally:
        connection.close()
        if not args.keep:
            db.drop()

    if not args.no_import:
        sys.stdout.flush()
        subprocess.run([sys.executable, str(ROOT / "bench" / "directory_import.py")], check=False)


def nearest_figures(args):
    from django.db import connection

    from communes.models import Collectivite
    from directory.models import Category, ServiceEntry
    from directory.services.geo import nearest

    rng = random.Random(24)
    categories = list(Category.objects.all())
    communes = list(Collectivite.objects.filter(kind="commune").values_list("pk", flat=True))
    started = time.perf_counter()
    ServiceEntry.objects.bulk_create(
        (
            ServiceEntry(
                name=f"Service {i}",
                category=rng.choice(categories),
                commune_id=rng.choice(communes),
                latitude=rng.uniform(SOUTH, NORTH),
                longitude=rng.uniform(WEST, EAST),
                source="bench",
                external_id=str(i),
            )
            for i in range(args.entries)
        ),
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {args.entries} entries made in {time.perf_counter() - started:.1f} s"
    )
    queryset = ServiceEntry.objects.active()
    points = [(rng.uniform(SOUTH, NORTH), rng.uniform(WEST, EAST)) for _ in range(args.queries)]
    for lat, lon in points[:20]:
        nearest(queryset, lat, lon, 10, 20)  # warm
    timings, found = [], []
    for lat, lon in points:
        t = time.perf_counter()
        result = nearest(queryset, lat, lon, 10, 20)
        timings.append((time.perf_counter() - t) * 1000)
        found.append(len(result))
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"nearest 20 within 10 km, {args.queries} random points: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (found {statistics.mean(found):.1f} "
        f"on average) — target p95 ≤ 20 ms: {'OK' if p95 <= 20 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
