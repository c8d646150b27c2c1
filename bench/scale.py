"""What grows with the number of collectivités (issue #21): one table, a column per size.

    .venv/bin/python bench/scale.py                 # 160, 1,000 and 5,000
    .venv/bin/python bench/scale.py --sizes 35000   # France, alone (35 min, see docs/scaling.md)

Needs PostgreSQL (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/bastide), Debian's
`wrk` and `redis-server`. Each size gets its own database, `<name>_scale_<size>`, copied from
one migrated template (dropped at the end unless --keep), its own Redis and an empty
BAKED_ROOT (every page rendered by Django: the dynamic path is the one that could grow), and
runs in a process of its own, which prints its figures as JSON. 160 is the Pays as shipped;
larger sizes copy Dordogne's 503 communes and EPCIs once per département
(bench/scale_bench/registry.py). For each size:

- registry load; provisioning (per collectivité; with --workers N, in N processes as
  `provision --workers N` does it), and a re-run; the visitors' index rebuilt;
- gunicorn (2 workers, production settings): req/s, p99 (wrk -t2 -c8, --duration) and SQL
  queries of a commune's home and of its « la mairie », warm; the queries and time of the
  home's first request after a publish on another commune; the workers' memory once warm;
- search p95 across everything and within one site;
- the portal's commune finder and A–Z, the sitemaps, the Pays' admin list of collectivités,
  the moderation list (median of 3, warm), and `check --deploy`;

then the ratio of each figure to the 160 one, against the targets. Prints; asserts nothing.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.scale_bench import report  # noqa: E402
from bench.serve_bench import processes  # noqa: E402

DEFAULT_SIZES = "160,1000,5000"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bastide"
PAGES = [("accueil", "/"), ("la mairie", "/mairie/")]


def one_size(size, database_url, duration, warmup, workers):
    """Everything for one size, in this process; prints the figures as JSON."""
    from bench.scale_bench import measures, registry
    from bench.serve_bench import django_side

    with (
        tempfile.TemporaryDirectory(prefix=f"bastide-scale-{size}-") as directory,
        contextlib.ExitStack() as stack,
    ):
        redis_url = processes.redis(stack, directory)
        baked = Path(directory) / "baked"
        baked.mkdir()
        env = measures.environment(database_url, redis_url, baked)
        django_side.setup(env)
        from django.core.management import call_command

        figures = {"size": size}
        count, figures["registry_s"] = measures.timed(registry.load, size)
        figures["collectivites"] = count
        figures["provision"] = measures.provision(workers)
        figures["workers"] = workers
        call_command("create_demo_accounts", stdout=open(os.devnull, "w"))  # noqa: SIM115
        slug, other = measures.sample_communes()
        figures["commune"], figures["other"] = slug, other
        server = processes.gunicorn(stack, env, Path(directory) / "gunicorn.log")
        figures["serving"] = measures.serving(
            server.port, server.process.pid, slug, other, PAGES, duration, warmup
        )
        server.stop()
        figures["search"] = measures.search_p95(slug)
        figures["listings"] = measures.listings(slug)
        figures["check_deploy"] = measures.check_deploy(env)
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--duration", default="5s", help="wrk's, per page (default 5s)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--workers", type=int, default=1, help="provisioning processes (default 1)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_size(args.one, args.database, args.duration, "1s", args.workers)
        return
    missing = [tool for tool in ("wrk", "redis-server") if not shutil.which(tool)]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (apt-get install -y wrk redis-server)")
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("bench/scale.py runs on PostgreSQL: set DATABASE_URL=postgres://…")
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = report.Databases(url)
    results = []
    try:
        started = time.monotonic()
        databases.template()
        print(f"template migrated in {time.monotonic() - started:.0f} s", file=sys.stderr)
        for size in sizes:
            database_url = databases.create(size)
            started = time.monotonic()
            child = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--database", database_url]
                + ["--duration", args.duration, "--workers", str(args.workers)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if child.returncode != 0:
                sys.exit(f"size {size} failed:\n{child.stderr[-4000:]}")
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            figures["wall_s"] = time.monotonic() - started
            results.append(figures)
            print(f"{size}: done in {figures['wall_s']:.0f} s", file=sys.stderr)
    finally:
        if not args.keep:
            databases.drop()
    print(report.table(results))


if __name__ == "__main__":
    main()
