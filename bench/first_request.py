"""The first request of a fresh gunicorn worker: what a visitor waits when a worker recycles.

Starts gunicorn as bench/serve.py does (production settings, the seeded database, one
worker, so that every request reaches the fresh one), then ROUNDS times replaces the worker
(SIGKILL to it: the master forks a new one, as when GUNICORN_MAX_REQUESTS recycles it) and
times, on each page of bench/serve.py:
- "fork→first": a request sent at once, answered by the new worker (its start included);
- "first": the new worker's first request, once it runs;
- "warm": the same request again.
Prints the median and the maximum over the rounds. Set REDIS_URL to use Redis as in
production.
"""

import http.client
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.serve import PAGES, production_env, wait_for  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8791"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
# A home, a content page, the portal and a section's page: a few kinds, a few minutes.
LABELS = os.environ.get(
    "BENCH_PAGES", "accueil d'une commune,la mairie,portail,guide Installez-vous"
)
DOMAIN = os.environ.get("PAYS_DOMAIN", "localhost")


def get(host, path):
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, (time.perf_counter() - start) * 1000


def workers(master):
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return {int(pid) for pid in out.split()}


def replace_worker(master):
    (old,) = workers(master)
    os.kill(old, signal.SIGKILL)  # at once: SIGTERM would let it answer one more request
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = workers(master) - {old}
        if new:
            return new.pop()
        time.sleep(0.01)
    sys.exit("no new worker")


def main():
    env = production_env()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "1"]
    command += ["--config", "config/gunicorn.py", "--bind", f"127.0.0.1:{PORT}"]
    started = time.perf_counter()
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_for(PORT, timeout=120)
        print(f"gunicorn master ready in {time.perf_counter() - started:.1f} s")
        rows = []
        for label, slug, path in [page for page in PAGES if page[0] in LABELS.split(",")]:
            host = f"{slug}.{DOMAIN}" if slug else DOMAIN
            get(host, path)  # the shared cache holds what this page needs
            times = {"fork→first": [], "first": [], "warm": []}
            for _ in range(ROUNDS):
                replace_worker(server.pid)
                status, ms = get(host, path)
                times["fork→first"].append(ms)
                replace_worker(server.pid)
                time.sleep(0.5)
                status, ms = get(host, path)
                times["first"].append(ms)
                times["warm"].append(get(host, path)[1])
            rows.append((label, status, times))
        print(f"{'page':26} {'HTTP':>4}" + "".join(f" {k + ' p50/max':>20}" for k in times))
        for label, status, times in rows:
            cells = "".join(
                f" {statistics.median(v):>9.0f}/{max(v):<6.0f}ms" for v in times.values()
            )
            print(f"{label:26} {status:>4}{cells}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
