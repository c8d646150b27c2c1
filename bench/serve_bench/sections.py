"""The bench's sections, in the order of one run (bench/serve.py says what each measures)."""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.serve_bench import django_side, freshness, processes
from bench.serve_bench import targets as t
from bench.serve_bench.load import BROWSER, DURATION, WARMUP, get, wrk
from bench.serve_bench.pages import BAKED, FRESHNESS_PAGE, HOME, PAGES
from bench.serve_bench.processes import ROOT, production_env

SECTIONS = ("limit", "front", "gunicorn", "fresh", "first", "dynamic", "bake")
WIDTH = 38
BAKED_TABLE = (
    f"{'page':{WIDTH}} {'served by':12} {'req/s':>8} {'p50':>8} {'p99':>8} {'limit':>6} {'err':>4}"
)
DYNAMIC_TABLE = (
    f"{'page':{WIDTH}} {'HTTP':>4} {'queries':>7} {'req/s':>8} {'p50':>8} {'p99':>8} "
    f"{'limit':>6} {'err':>4}"
)
BAKE_LINE = re.compile(r"^(\S+): (\d+) pages, .*?([\d.]+) s, ")


def served_by(response, slug):
    """Who answered: nginx from a file, gunicorn's BakedPages, or Django."""
    if response.status != 200:
        return f"HTTP {response.status}"
    if "last-modified" in response.headers:
        return "nginx file"
    if response.headers.get("etag", "").startswith(f'"{django_side.generation(slug)}-'):
        return "BakedPages"
    return "Django"


def ratio(load, limit):
    """`load`'s rate as a share of the limit's ("" without a limit)."""
    if not limit or not limit.rate:
        return ""
    share = load.rate / limit.rate
    return f"{share:.0%}" if share >= 0.1 else f"{share:.1%}"


def row(label, who, load, limit=None):
    print(f"{label:{WIDTH}} {who:12} {load.cells()} {ratio(load, limit):>6} {load.errors:>4}")


def ms(value):
    return "—" if value is None else f"{value:.0f} ms"


class Bench:
    def __init__(self, stack, directory, sections):
        self.stack, self.dir, self.sections = stack, Path(directory), sections
        self.targets = t.Targets()
        self.p99 = {}  # the p99 of every view loaded, for its target
        self.limit = None
        self.env = None
        self.shared_cache = False
        self.bake_one = None  # the BakeResult the target is checked on, and its case
        self.bake_case = "nothing changed"

    def run(self):
        self.prepare()
        baked_before = django_side.baked_hosts()
        try:
            self.measure()
        finally:
            left = sorted(baked_before - django_side.baked_hosts())
            if left:
                print(f"\nWithdrawn by the bench's publishes, not baked again: {', '.join(left)}")
                print("  run `manage.py bake --follow` (or bake --all) to bake them")
        self.check_targets()

    def measure(self):
        if {"limit", "front", "gunicorn", "fresh"} & self.sections:
            self.baked_pages()
        if "first" in self.sections:
            self.first_request()
        if "dynamic" in self.sections:
            self.dynamic_table()
        if "bake" in self.sections:
            self.bake_all()  # also bakes what the publishes above left pending
        else:
            self.bake_pending()

    def check_targets(self):
        if self.bake_one is not None:
            name = f"bake one site ≤ {t.BAKE_ONE_S:.0f} s"
            values = {f"{self.bake_one.host}, {self.bake_case}": self.bake_one.seconds}
            self.targets.at_most(name, values, t.BAKE_ONE_S, " s")
        if self.p99:
            self.targets.at_most(f"p99 ≤ {t.P99_MS} ms, every view", self.p99, t.P99_MS, " ms")
        self.targets.print()

    def prepare(self):
        redis_url, cache = os.environ.get("REDIS_URL", ""), "Redis (REDIS_URL)"
        wanted = os.environ.get("BENCH_REDIS", "1") != "0"
        if not redis_url and wanted and shutil.which("redis-server"):
            redis_url = processes.redis(self.stack, self.dir)
            cache = "Redis (a redis-server of the bench's)"
        if not redis_url:
            cache = "LocMem, one per process"
        self.shared_cache = bool(redis_url)
        self.env = production_env(REDIS_URL=redis_url)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        django_side.setup(self.env)
        from django.conf import settings

        threads = int(self.env.get("GUNICORN_THREADS") or 0)
        print(
            f"gunicorn: 2 workers, config/gunicorn.py"
            f"{f', GUNICORN_THREADS={threads}' if threads else ''}; "
            f"wrk -t2 -c8 -d{DURATION} after {WARMUP} of warm-up"
        )
        print(f"database: {settings.DATABASES['default']['NAME']}; cache: {cache}")
        print(f"baked files: {settings.BAKED_ROOT}")
        if "bake" in self.sections:
            print("\nBake of one site, in this process")
            first = django_side.bake_site("bergerac")
            print(f"  the process' first: {first.summary()}")
            self.bake_one = django_side.bake_site("bergerac")
            print(f"  again, nothing changed: {self.bake_one.summary()}")
        elif django_side.baked_file("bergerac") is None:
            django_side.bake_site("bergerac")

    # --- Baked pages: the physical limit, the front, gunicorn alone; freshness ---------------

    def baked_pages(self):
        from django.conf import settings

        if {"limit", "front", "gunicorn"} & self.sections:
            print(f"\nBaked pages (wrk with Accept-Encoding: {BROWSER['Accept-Encoding']})")
            print(BAKED_TABLE)
        if "limit" in self.sections:
            self.physical_limit()  # first, alone on the machine
        gunicorn = processes.gunicorn(self.stack, self.env, self.dir / "gunicorn-baked.log")
        front = None
        if {"front", "fresh"} & self.sections:
            front = processes.front_nginx(
                self.stack, self.dir / "front", self.env, gunicorn.port, settings.BAKED_ROOT
            )
        if "front" in self.sections:
            ratios = {}
            for label, slug, path in BAKED:
                load = self.load(front.port, slug, path, BROWSER, f"front: {label}")
                row(f"front: {label}", load.who, load, self.limit)
                ratios[label] = 100 * load.rate / self.limit.rate if self.limit else None
            if "limit" in self.sections:
                self.physical_limit(again=True)  # the best of two: the machine is shared
            name = f"front ≥ {t.FRONT_RATIO:.0%} of the static limit"
            self.targets.at_least(name, ratios, 100 * t.FRONT_RATIO, " %")
        if "gunicorn" in self.sections:
            rates = {}
            for label, slug, path in BAKED:
                load = self.load(gunicorn.port, slug, path, BROWSER, f"gunicorn alone: {label}")
                row(f"gunicorn alone: {label}", load.who, load, self.limit)
                rates[label] = load.rate
            name = f"gunicorn alone, baked home ≥ {t.GUNICORN_BAKED} req/s"
            self.targets.at_least(name, {HOME: rates[HOME]}, t.GUNICORN_BAKED)
        if "fresh" in self.sections:
            self.freshness(front)
        if front is not None:
            front.stop()
        gunicorn.stop()

    def physical_limit(self, again=False):
        page = django_side.baked_file("bergerac")
        server = processes.static_nginx(
            self.stack, self.dir / f"limit{'-again' if again else ''}", page
        )
        host = django_side.host("bergerac")
        load = wrk(server.port, host, "/", BROWSER)
        server.stop()
        size = Path(f"{page}.br").stat().st_size / 1024
        label = "static copy of the home (again)" if again else f"static copy of {host}/"
        row(label, f"nginx {size:.1f}KB", load)
        if self.limit is None or load.rate > self.limit.rate:
            self.limit = load

    def load(self, port, slug, path, headers, label):
        """wrk on one page; `label` names its p99 in the targets."""
        who = served_by(get(port, django_side.host(slug), path, headers), slug)
        load = wrk(port, django_side.host(slug), path, headers)
        load.who = who
        self.p99[label] = load.p99
        return load

    def freshness(self, front):
        slug, path = FRESHNESS_PAGE
        print(
            f"\nFreshness: a new title for {django_side.host(slug)}{path}, polled through the front"
        )
        name = "new title seen within the bake's time"
        if not self.shared_cache:
            print("  skipped: gunicorn learns of a publish through a shared cache (Redis) only")
            self.targets.add(name, None, "needs Redis")
            return
        found = freshness.poll(front.port, slug, path)
        bake = found.bake.seconds * 1000 if found.bake is not None else None
        if found.bake is not None and self.bake_one is not None:
            self.bake_one, self.bake_case = found.bake, "after a publish"
        print(
            f"  publish (revision, commit, files withdrawn: {', '.join(sorted(found.withdrawn))})"
            f": {found.publish_ms:.0f} ms; then {found.polls} polls, one every "
            f"{freshness.POLL * 1000:.0f} ms"
        )
        print(
            f"  new title first seen: {ms(found.new_seen_ms)} (old title before it: "
            f"{found.old_before} polls; after it: {found.old_after})"
        )
        print(
            f"  the site's bake: {ms(bake)}; new files swapped in by {ms(found.files_back_ms)}, "
            f"serving the new title at {ms(found.fresh_from_files_ms)}"
        )
        for error in found.errors:
            print(f"  error: {error}")
        figure = f"new title at {ms(found.new_seen_ms)}, bake {ms(bake)}, {found.old_after} stale"
        self.targets.add(name, found.met(), figure)

    # --- First request after a publish on another site ----------------------------------------

    def first_request(self):
        found = django_side.first_request_after_publish("bergerac", "lalinde")
        home, other = django_side.host("bergerac"), django_side.host("lalinde")
        (_, warm), (status, first) = found["warm"], found["first"]
        print("\nFirst request after a publish on another site (in this process, same cache)")
        withdrawn = ", ".join(sorted(found["withdrawn"])) or "none"
        print(f"  published again: {found['page']} (files withdrawn: {withdrawn})")
        print(f"  {home}/: {warm} queries warm before, {first} on the first request after")
        print(f"  {other}/ (the site published): {found['other_first'][1]} on its first request")
        if found["bake"] is not None:
            print(f"  then baked again: {found['bake'].summary()}")
        if status != 200:
            print(f"  {home}/ answered HTTP {status}")
        self.targets.at_most(
            f"first request after a publish elsewhere ≤ {t.FIRST_AFTER_PUBLISH} queries",
            {f"{home}/": first if status == 200 else 999},
            t.FIRST_AFTER_PUBLISH,
        )

    # --- Dynamic pages ----------------------------------------------------------------------------

    def dynamic_table(self):
        empty = self.dir / "no-baked-files"
        empty.mkdir()
        env = {**self.env, "BAKED_ROOT": str(empty)}
        counts = django_side.queries_per_view(PAGES)
        gunicorn = processes.gunicorn(self.stack, env, self.dir / "gunicorn-dynamic.log")
        print("\nDynamic pages (gunicorn, BAKED_ROOT empty; queries: warm, in this process)")
        print(DYNAMIC_TABLE)
        home, others, queries = {}, {}, {}
        for label, slug, path in PAGES:
            load = self.load(gunicorn.port, slug, path, None, label)
            status, count = counts[label]
            share = ratio(load, self.limit)
            print(
                f"{label:{WIDTH}} {status:>4} {count:>7} {load.cells()} {share:>6} {load.errors:>4}"
            )
            (home if label == HOME else others)[label] = load.rate
            queries[label] = count if status == 200 else 999
        gunicorn.stop()
        self.targets.at_least(f"dynamic home ≥ {t.DYNAMIC_HOME} req/s", home, t.DYNAMIC_HOME)
        self.targets.at_least(f"dynamic others ≥ {t.DYNAMIC_OTHER} req/s", others, t.DYNAMIC_OTHER)
        name = f"≤ {t.QUERIES_PER_VIEW} queries per view (HTTP 200)"
        self.targets.at_most(name, queries, t.QUERIES_PER_VIEW)

    # --- Bakes ------------------------------------------------------------------------------------

    def bake_pending(self):
        """What the publishes withdrew and left to the background baker (the portal, above
        all): baked here, so that the bench leaves every site baked."""
        started = time.monotonic()
        results = django_side.bake_pending()
        if results:
            print("\nBakes the publishes left pending (the background baker's work)")
            for result in results:
                print(f"  {result.summary()}")
            print(f"  {time.monotonic() - started:.1f} s")

    def bake_all(self):
        parallel = os.cpu_count() or 1
        command = [sys.executable, "manage.py", "bake", "--all", f"--parallel={parallel}"]
        print(f"\nBake of the whole Pays: manage.py bake --all --parallel={parallel}")
        started = time.monotonic()
        done = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
        )
        seconds = time.monotonic() - started
        lines = done.stdout.strip().splitlines() or ["?"]
        sites = [m for m in map(BAKE_LINE.match, lines) if m]
        slowest = sorted(sites, key=lambda m: -float(m.group(3)))[:3]
        print(f"  {lines[-1]} (the command's count); {seconds:.1f} s with Django's start")
        if slowest:
            print("  slowest: " + "; ".join(f"{m[1]} {m[2]} pages {m[3]} s" for m in slowest))
        name = f"bake the Pays ≤ {t.BAKE_ALL_S:.0f} s"
        if done.returncode != 0:
            print(done.stderr[-2000:])
            self.targets.add(name, False, "failed")
            self.bake_pending()
            return
        with contextlib.suppress(ValueError):
            seconds = float(lines[-1].rsplit(",", 1)[-1].strip().removesuffix(" s"))
        self.targets.at_most(name, {"bake --all": seconds}, t.BAKE_ALL_S, " s")
