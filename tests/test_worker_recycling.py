"""Gunicorn's workers: everything loaded before fork and nothing connected, recycled one at a
time (config/prefork.py, config/recycling.py, config/gunicorn.py)."""

import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config.recycling import Schedule

ROOT = Path(__file__).resolve().parent.parent


def simulate(workers, every, requests, shares, seed=20):
    """The pool as gunicorn runs it: each request goes to a worker (unevenly), a worker
    whose turn has come retires after it and a new one takes its slot. Returns the pool's
    request count at each retirement, with the slot."""
    schedule = Schedule(every)
    rng = random.Random(seed)
    pool = {}
    for _ in range(workers):  # at boot, one after another
        slot = schedule.claim_slot([w["slot"] for w in pool.values()], workers)
        pool[slot] = {"slot": slot, "turn": schedule.first_turn(slot, workers, 0)}
    retired = []
    for _ in range(requests):
        worker = pool[rng.choices(sorted(pool), weights=shares)[0]]
        schedule.count(worker["slot"])
        if schedule.served() >= worker["turn"]:
            retired.append((schedule.served(), worker["slot"]))
            del pool[worker["slot"]]
            slot = schedule.claim_slot(list(pool), workers)
            assert slot == worker["slot"]  # the new worker takes the retired one's turn
            pool[slot] = {
                "slot": slot,
                "turn": schedule.first_turn(slot, workers, schedule.served()),
            }
    return retired


@pytest.mark.parametrize(("workers", "shares"), [(2, [1, 1]), (2, [7, 3]), (3, [5, 3, 2])])
def test_workers_retire_one_at_a_time_in_turn_even_under_uneven_load(workers, shares):
    every = 200
    retired = simulate(workers, every, requests=20_000, shares=shares)
    assert len(retired) in (20_000 // every - 1, 20_000 // every)
    # One retirement every `every` requests of the pool (give or take the few requests the
    # others serve before the worker whose turn it is gets its next), never two together...
    gaps = [b - a for (a, _), (b, _) in zip(retired, retired[1:], strict=False)]
    assert all(abs(gap - every) <= every // 10 for gap in gaps), gaps
    # ...each slot in turn, so each worker lives about `every` requests of its own.
    slots = [slot for _, slot in retired]
    assert slots == [n % workers for n in range(len(slots))]


def test_a_worker_that_dies_early_is_replaced_in_its_own_slot_and_turn():
    schedule = Schedule(100)
    assert schedule.first_turn(1, 2, 0) == 200
    # Slot 1's worker died at request 250 (after its turn at 200): its replacement waits
    # for the slot's next turn, 400, not for a fresh 100-request life that could meet slot 0's.
    assert schedule.first_turn(1, 2, 250) == 400
    assert schedule.first_turn(0, 2, 250) == 300
    assert schedule.claim_slot([0], 2) == 1


def test_the_master_imports_what_a_page_view_needs_and_connects_to_nothing():
    code = """
import socket, sys
import django
django.setup()
connects = []
real = socket.socket.connect
def connect(self, address):
    connects.append(address)
    return real(self, address)
socket.socket.connect = connect
from config.prefork import warm, import_project_modules
warm()
assert not import_project_modules(), "a module of ours failed to import"
from django.db import connections
assert all(connections[alias].connection is None for alias in connections)
lazy = ["redis.connection", "django.db.models.sql.compiler", "directory.views",
        "newcomers.views", "occitan.views", "themes.views", "communes.jsonld"]
print("missing", [name for name in lazy if name not in sys.modules])
print("connects", connects)
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "test-only",
        # A Redis nobody listens on: nothing may try it before fork.
        "REDIS_URL": "redis://127.0.0.1:9/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "missing []" in result.stdout, result.stdout
    assert "connects []" in result.stdout, result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.long
def retirements(log):
    text = log.read_text() if log.exists() else ""
    return re.findall(r"Worker (\d+): its turn to be recycled", text)


def test_gunicorn_recycles_its_workers_in_turn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "test-only",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "GUNICORN_MAX_REQUESTS": "10",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c"]
    command += ["config/gunicorn.py", "-w", "2", "-b", f"127.0.0.1:{port}"]
    command += ["--log-level", "info", "--error-logfile", str(log)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 240
        while "Booting worker" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
            time.sleep(0.2)
        # A worker retires at the first request it serves once the pool has served its
        # turn: on a loaded machine the other worker may serve the next few, so the last
        # turns can still be pending after 100 requests. Requests go on, 200 at most, until
        # nine workers have retired.
        sent = 0
        while sent < 100 or (len(retirements(log)) < 9 and sent < 200):  # noqa: PLR2004
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
            sent += 1
        time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    booted = re.findall(r"Booting worker with pid: (\d+)", text)
    retired = retirements(log)
    # A worker recycled every 10 of the pool's requests: never more, and never far behind.
    assert 9 <= len(retired) <= sent // 10, (sent, text)
    assert len(booted) in (2 + len(retired), 3 + len(retired))
    # ...in turn: the k-th worker booted is the k-th retired (each replacement takes the
    # turn of the worker it replaces; the first two boot together, their lines may swap).
    # (On a loaded machine a worker may also be replaced outside its turn: the retired ones
    # still follow the boot order.)
    later = iter(booted[2:])
    assert set(retired[:2]) == set(booted[:2]), text
    assert all(pid in later for pid in retired[2:]), text
    assert "could not be imported" not in text
    # The database is empty here: the worker's own warm-up fails, says so, and it serves.
