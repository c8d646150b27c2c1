"""Comarquage import benchmark: thousands of service-public.fr fiches, imported then re-imported.

    .venv/bin/python bench/directory_import.py [--count 5000] [--keep]

Makes `--count` fiches from the samples of directory/data/comarquage/ (each copy with
its own ID and a changed word in its title), zips them, and imports the zip into a fresh
database of the kind DATABASE_URL names (`<name>_bench_fiches` on PostgreSQL, through the
`postgres` maintenance database, dropped at the end unless --keep; a temporary SQLite file
otherwise), then imports the same zip again, every fiche unchanged.

Prints seconds for each, the share of the first spent reading and parsing, and the ratio.
Targets: first import at most 60 s for 5,000 fiches, re-import at most 10 % of it.
Asserts nothing about time.
"""

import argparse
import os
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from bench.provision import ThrowawayDatabase, measuring, vendor  # noqa: E402

SAMPLES = ROOT / "directory" / "data" / "comarquage"
FIRST_TARGET_S = 60.0
RERUN_TARGET = 0.10
ROOT_ID = re.compile(rb'(<Publication [^>]*?\bID=")([A-Z]+)\d+(")')


def variants(count):
    """(name, bytes) of `count` fiches, as different as an ID and a title word make them."""
    samples = [path.read_bytes() for path in sorted(SAMPLES.glob("*.xml"))]
    words = [word.encode() for word in ("Démarche", "Formalité", "Procédure", "Guide")]
    for number in range(count):
        data = samples[number % len(samples)]
        fiche_id = b"%s%d" % (ROOT_ID.search(data).group(2), 900_000 + number)
        data = ROOT_ID.sub(rb"\g<1>" + fiche_id + rb"\g<3>", data, count=1)
        word = b"%s %d" % (words[number % len(words)], number)
        data = data.replace(b"<dc:title>", b"<dc:title>" + word + b" : ", 1)
        yield f"{fiche_id.decode()}.xml", data


def make_zip(count, directory):
    path = Path(directory) / f"vosdroits-{count}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in variants(count):
            archive.writestr(name, data)
    return path


def parse_only(path):
    from directory.importers.comarquage import ComarquageImporter

    importer = ComarquageImporter()
    start = time.perf_counter()
    items = list(importer.parse(importer.fetch(path)))
    return time.perf_counter() - start, len(items)


def import_zip(path):
    from directory.importers.comarquage import ComarquageImporter
    from directory.services.imports import run_import

    with measuring() as measure:
        report = run_import(ComarquageImporter(), path)
    if report.file_error:
        raise SystemExit(f"refused: {report.file_error}")
    measure.note = report.summary
    return measure


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="fiches to make (5000)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()

    db = ThrowawayDatabase(
        os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}", "fiches"
    )
    db.create("bastide")
    os.environ["DATABASE_URL"] = db.url("bastide")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.DEBUG = False
    try:
        with tempfile.TemporaryDirectory(prefix="bastide-fiches-") as tmp:
            start = time.perf_counter()
            path = make_zip(args.count, tmp)
            made = time.perf_counter() - start
            call_command("migrate", verbosity=0, interactive=False)
            parsing, parsed = parse_only(path)
            first = import_zip(path)
            rerun = import_zip(path)
            print_report(args.count, path, made, parsing, parsed, first, rerun)
    finally:
        connections.close_all()
        if args.keep:
            print(f"Database kept: {db.names['bastide']}")
        else:
            db.drop()


def print_report(count, path, made, parsing, parsed, first, rerun):
    size = path.stat().st_size / 1024 / 1024
    print(f"Comarquage import benchmark — {vendor()} — {count} fiches, zip of {size:.1f} MB")
    print(f"zip made in {made:.1f} s (not counted)")
    print()
    header = f"{'':34}{'seconds':>9}{'ms/fiche':>10}{'queries':>9}  result"
    print(header)
    print("-" * len(header))
    rows = (
        ("read and parse only, no writes", parsing, 1, f"{parsed} records"),
        ("first import", first.seconds, first.queries, first.note),
        ("re-import, unchanged", rerun.seconds, rerun.queries, rerun.note),
    )
    for label, seconds, queries, note in rows:
        print(f"{label:34}{seconds:>9.2f}{1000 * seconds / count:>10.2f}{queries:>9}  {note}")
    print("-" * len(header))
    print(
        f"re-import ÷ first import: {rerun.seconds / first.seconds:.1%} "
        f"(target ≤ {RERUN_TARGET:.0%}); first import {first.seconds:.1f} s "
        f"(target ≤ {FIRST_TARGET_S:.0f} s for 5,000); reading and parsing is "
        f"{parsing / first.seconds:.0%} of it"
    )


if __name__ == "__main__":
    main()
