"""The figures of one size, measured in the process that provisioned it (Django set up on
that size's database) and against gunicorn started on the same database and cache."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.serve_bench import django_side, load
from bench.serve_bench.processes import ROOT


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started


# --- provisioning ---------------------------------------------------------------------------------


def provision(workers=1):
    """Every collectivité, as `manage.py seed` does it: indexing deferred, then one rebuild
    of the visitors' index (the one search reads; the admin's and the reference index are
    rebuilt the same way, and are left out here). With `workers`, as `manage.py provision
    --all --workers N` does it."""
    from functools import partial

    from communes.models import Collectivite
    from search import indexing
    from sitefactory.services.parallel import provision_in_parallel
    from sitefactory.services.provisioning import FAILED
    from sitefactory.services.provisioning import provision as one_process
    from sitefactory.services.seeding import deferred_indexing

    run = one_process if workers == 1 else partial(provision_in_parallel, workers=workers)
    with deferred_indexing():
        report, first = timed(run, Collectivite.objects.all())
        rerun_report, rerun = timed(run, Collectivite.objects.all())
    _counts, index = timed(indexing.reindex)
    return {
        "first": first,
        "rerun": rerun,
        "index": index,
        "failed": report.count(FAILED),
        "summary": report.summary,
        "rerun_summary": rerun_report.summary,
    }


def sample_communes():
    """The commune measured (in the middle of the registry) and another one to publish on."""
    from communes.models import Collectivite

    communes = list(
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE, site__isnull=False)
        .order_by("code")
        .values_list("slug", flat=True)
    )
    middle = len(communes) // 2
    return communes[middle], communes[middle // 2]


# --- serving --------------------------------------------------------------------------------------


def worker_memory(master_pid):
    """Resident memory (MB) of each gunicorn worker (the master's children)."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def serving(port, master_pid, slug, other, pages, duration, warmup):
    """req/s, p99 and queries of each page, warm; the first request after a publish on
    another site; the workers' memory once warm."""
    figures = {}
    host = django_side.host(slug)
    for label, path in pages:
        measured = load.wrk(port, host, path, duration=duration, warmup=warmup)
        browser = django_side.client(slug)
        browser.get(path)  # this process's memory warm too
        status, queries = django_side.queries(browser, path)
        figures[label] = {
            "rps": measured.rate,
            "errors": measured.errors,
            "p99": measured.p99,
            "queries": queries,
            "status": status,
        }
    figures["memory"] = worker_memory(master_pid)
    after = django_side.first_request_after_publish(slug, other, pages[0][1])
    # The same request in gunicorn, whose workers learn of each publish through Redis: the
    # median of 5 (a worker recycled by the load just before would be a start-up, not this).
    times, statuses = [], set()
    page = django_side.latest_published_page(other)
    for _ in range(5):
        django_side.publish(page.latest_revision)
        started = time.perf_counter()
        statuses.add(load.get(port, host, pages[0][1]).status)
        times.append(1000 * (time.perf_counter() - started))
    figures["after_publish"] = {
        "queries": after["first"][1],
        "ms": statistics.median(times),
        "status": sorted(statuses),
    }
    return figures


# --- search ---------------------------------------------------------------------------------------

WORDS = ["mairie", "conseil", "école", "horaires", "salle des fêtes", "déchetterie", "actualités"]


def search_p95(slug, rounds=3):
    """p95 (ms) of searches across the whole install (portal) and within one site."""
    from search import services

    site = django_side.site(slug)
    timings = {"portal": [], "site": []}
    for _ in range(rounds):
        for word in WORDS:
            for scope, kwargs in (("portal", {"portal": True}), ("site", {"site": site})):
                _results, seconds = timed(services.search, word, **kwargs)
                timings[scope].append(1000 * seconds)
    return {scope: _p95(values) for scope, values in timings.items()}


def _p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


# --- listings -------------------------------------------------------------------------------------


def listings(slug):
    """Time (ms, median of 3 after one) of the portal's commune finder and A–Z, the sitemaps,
    the Pays' admin list of collectivités and the moderation list."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    portal = Client(HTTP_HOST=django_side.host(None))
    commune = django_side.client(slug)
    staff = Client(HTTP_HOST=django_side.host(None))
    staff.force_login(get_user_model().objects.get(username="pays"))
    views = {
        "trouver ma commune (?q=)": (portal, "/communes/?q=saint"),
        "communes A–Z": (portal, "/communes/"),
        "sitemap (portail)": (portal, "/sitemap.xml"),
        "sitemap (commune)": (commune, "/sitemap.xml"),
        "admin : collectivités": (staff, "/admin/snippets/communes/collectivite/"),
        "admin : à approuver": (staff, "/admin/moderation/"),
    }
    figures = {}
    for label, (client, path) in views.items():
        status = client.get(path).status_code
        times = []
        for _ in range(3):
            _response, seconds = timed(client.get, path)
            times.append(1000 * seconds)
        figures[label] = {"ms": statistics.median(times), "status": status}
    return figures


def check_deploy(env):
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return {"s": time.perf_counter() - started, "ok": result.returncode == 0}


def environment(database_url, redis_url, baked_root):
    from bench.serve_bench.processes import production_env

    return production_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        BAKED_ROOT=str(baked_root),
        BASTIDE_2FA_REQUIRED_FOR_STAFF="0",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        PYTHONPATH=str(ROOT),
        **({"SITE_PORT": os.environ["SITE_PORT"]} if "SITE_PORT" in os.environ else {}),
    )
