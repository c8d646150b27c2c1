"""Several task workers on the database queue (docs/scaling.md#several-task-workers): three
`manage.py db_worker` processes, with production's settings, on the test database. Each of
the tasks queued runs exactly once, and the workers share them.

The workers only see committed rows: the test is transactional (it runs in the conftest's
`transactional` group and leaves the database flushed)."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction

from tests.database import require_postgresql
from tests.worker_tasks import record_run

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3
TASKS = 60
PAUSE = 0.03  # seconds per task: long enough that the workers compete for the queue
START_TIMEOUT = 60  # seconds for the workers to start (Django's setup, on a loaded machine)
RUN_TIMEOUT = 60  # seconds for the tasks to be done once queued
STOP_TIMEOUT = 10

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(scope="module")
def postgresql():
    # Module-scoped: it runs before the database fixtures, so a skip costs no flush.
    require_postgresql(
        "several task workers need PostgreSQL, production's database: they claim tasks "
        "with FOR UPDATE SKIP LOCKED, which SQLite lacks (there they queue up behind its "
        "write lock)."
    )


def database_url():
    """The test database, for processes of their own."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


class Workers:
    """`manage.py db_worker` processes as the `worker` service runs them, each logging to a
    file of its own."""

    def __init__(self, count, folder):
        self.environ = {
            key: value
            for key, value in os.environ.items()
            # The session's replica or bucket, if any, are none of theirs.
            if key not in {"DATABASE_REPLICA_URL", "AWS_STORAGE_BUCKET_NAME"}
        }
        self.environ |= {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "test-only-not-secret",
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "REDIS_URL": "",  # a cache of their own, not the session's Redis database
            "ELASTICSEARCH_URL": "",
            "PYTHONWARNINGS": "ignore",
        }
        self.logs = [folder / f"worker-{n}.log" for n in range(count)]
        self.processes = []

    def start(self):
        for n, log in enumerate(self.logs):
            with log.open("w") as output:
                self.processes.append(
                    subprocess.Popen(
                        [
                            *(sys.executable, "manage.py", "db_worker"),
                            "--worker-id",
                            f"worker-{n}",
                            # Idle workers look again every 50 ms (1 s in production): all
                            # three are awake when the tasks are committed, and compete.
                            *("--interval", "0.05", "--no-startup-delay"),
                        ],
                        cwd=ROOT,
                        env=self.environ,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )

    def output(self):
        return "\n".join(
            f"--- {log.name} (exit {process.poll()}):\n{log.read_text()[-3000:]}"
            for log, process in zip(self.logs, self.processes, strict=True)
        )

    def check_alive(self):
        if any(process.poll() is not None for process in self.processes):
            pytest.fail(f"a worker stopped:\n{self.output()}")

    def wait_until_started(self):
        deadline = time.monotonic() + START_TIMEOUT
        while not all("Starting worker" in log.read_text() for log in self.logs):
            self.check_alive()
            if time.monotonic() > deadline:
                pytest.fail(f"the workers did not start in {START_TIMEOUT} s:\n{self.output()}")
            time.sleep(0.1)

    def stop(self):
        """SIGTERM, as `docker compose stop` sends: an idle worker exits at once, a busy one
        after its task. Killed if that takes too long, whatever happened to the test."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return [process.returncode for process in self.processes]


def wait_until_done(workers, ids):
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        statuses = Counter(DBTaskResult.objects.filter(id__in=ids).values_list("status", flat=True))
        if statuses["SUCCESSFUL"] == len(ids):
            return
        workers.check_alive()
        if time.monotonic() > deadline:
            pytest.fail(f"not done in {RUN_TIMEOUT} s: {dict(statuses)}\n{workers.output()}")
        time.sleep(0.1)


def test_several_workers_run_each_task_exactly_once(postgresql, settings, tmp_path):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs = tmp_path / "runs.log"
    workers = Workers(WORKERS, tmp_path)
    try:
        workers.start()
        workers.wait_until_started()
        started = time.monotonic()
        # One commit: every task appears to every worker at once, and they all compete for it.
        with transaction.atomic():
            ids = [record_run.enqueue(str(runs), PAUSE).id for _ in range(TASKS)]
        wait_until_done(workers, ids)
        elapsed = time.monotonic() - started
    finally:
        exits = workers.stop()

    lines = [line.split() for line in runs.read_text().splitlines()]
    ran = Counter(task_id for task_id, _worker, _pid in lines)
    assert len(lines) == TASKS, f"{len(lines)} runs of {TASKS} tasks: {ran.most_common(3)}"
    assert set(ran) == set(ids)

    pids = {process.pid: f"worker-{n}" for n, process in enumerate(workers.processes)}
    claimed = {task_id: worker for task_id, worker, _pid in lines}
    # Each run happened in the process of the worker that claimed it: none in this one.
    assert all(pids.get(int(pid)) == worker for _task, worker, pid in lines), lines
    shares = Counter(claimed.values())
    print(f"\n{TASKS} tasks in {elapsed:.2f} s, by worker: {dict(sorted(shares.items()))}")
    assert len(shares) > 1, f"one worker ran every task, nothing was contended: {shares}"

    results = DBTaskResult.objects.filter(id__in=ids)
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert {str(r.id): r.worker_ids for r in results} == {
        task_id: [worker] for task_id, worker in claimed.items()
    }
    # Idle when told to stop: each left cleanly.
    assert exits == [0] * WORKERS, workers.output()
