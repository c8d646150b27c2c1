"""How fast the public pages are served, against the machine's own limit (issue #20).

On the seeded database (`make seed`, or DATABASE_URL), with Debian's `wrk` and `nginx`
(apt-get install -y wrk; bin/nginx-deps), one run prints:

1. the physical limit: nginx serving a static copy of Bergerac's baked home page;
2. the production front: nginx as `manage.py front_config` renders it, before gunicorn,
   serving baked pages, and its ratio to the limit;
3. gunicorn alone on a baked page (config/wsgi.py's BakedPages answers from the file);
4. the dynamic table: every page type rendered by Django (gunicorn with an empty BAKED_ROOT),
   req/s, p50, p99 and SQL queries per view (warm);
5. the SQL queries of the first request on Bergerac after a publish on Lalinde;
6. the time to bake one site, and the whole Pays;
7. freshness: a page's new title polled through the front after its publish, against the
   time of the bake the publish sets off;
then every target, met or missed. Gunicorn runs config/gunicorn.py (2 workers, recycling on)
with the production settings; wrk -t2 -c8, BENCH_DURATION (10s) after BENCH_WARMUP (2s).
The cache is REDIS_URL's, else a redis-server the bench starts (BENCH_REDIS=0: each
process its own LocMem, and no freshness figure: nothing would tell gunicorn of a publish).
BENCH_SECTIONS=limit,front,gunicorn,fresh,first,dynamic,bake runs some only.

The bench writes to the database: it publishes a Lalinde page's latest revision again, and
publishes a new title for Bergerac's « la mairie », then its old title again.
"""

import contextlib
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on sys.path, where bench/search.py hides the
# application's `search`.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench.serve_bench import processes  # noqa: E402
from bench.serve_bench.pages import PAGES  # noqa: E402
from bench.serve_bench.processes import production_env  # noqa: E402
from bench.serve_bench.sections import SECTIONS, Bench  # noqa: E402

__all__ = ["PAGES", "production_env", "wait_for"]  # bench/first_request.py


def wait_for(port, timeout=30):
    """Wait until something listens on `port`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if processes.is_open(port):
            return
        time.sleep(0.2)
    sys.exit("gunicorn did not start")


def main():
    missing = processes.missing_tools()
    if missing:
        sys.exit("\n".join(missing))
    wanted = os.environ.get("BENCH_SECTIONS")
    sections = set(wanted.split(",")) if wanted else set(SECTIONS)
    unknown = sections - set(SECTIONS)
    if unknown:
        sys.exit(f"BENCH_SECTIONS: unknown {sorted(unknown)}; known: {','.join(SECTIONS)}")
    # Stopped by a signal, the bench still stops its servers and restores what it published.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda signum, _frame: sys.exit(128 + signum))
    with (
        tempfile.TemporaryDirectory(prefix="bastide-bench-") as directory,
        contextlib.ExitStack() as stack,  # stops every server started, whatever happens
    ):
        try:
            Bench(stack, directory, sections).run()
        except processes.BenchError as error:
            sys.exit(str(error))


if __name__ == "__main__":
    main()
