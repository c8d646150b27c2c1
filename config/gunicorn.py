"""Gunicorn settings for the production image (see bin/docker-entrypoint.sh).

Two things keep the slow tail away (docs/serving.md#no-slow-tail): a worker forks from a master
that has loaded everything a page view needs (config/prefork.py), and workers are recycled
one at a time on a shared schedule (config/recycling.py), never together.
"""

import os

bind = "0.0.0.0:8000"  # inside the container; the reverse proxy is in front
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Provisioning from the admin runs in the worker, so no request needs long.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Recycle workers now and then so that a slow leak never grows unbounded: each worker lives
# about this many requests. Gunicorn's own max_requests (per worker, random jitter) would
# let workers that started together restart together: the hooks below do it in turn.
RECYCLE_EVERY = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests = 0
max_requests_jitter = 0
# Workers fork from a master that has loaded Django: a worker recycled is serving again in
# milliseconds, not after a second of imports.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Nothing in the container uses gunicornc, and the user's home is read-only.
control_socket_disable = True

schedule = None


def when_ready(server):
    """In the master, before the first fork: the recycling schedule (shared memory every
    worker inherits) and, with the app preloaded, everything a page view imports or builds.
    Nothing here connects to the database or Redis, so no socket is shared between processes."""
    global schedule  # noqa: PLW0603 - a hook's state, in the master, inherited by fork
    if RECYCLE_EVERY > 0:
        from config.recycling import Schedule

        schedule = Schedule(RECYCLE_EVERY)
    if server.cfg.preload_app:
        import gc

        from config.prefork import warm

        warm()
        # What the master built stays out of the workers' garbage collections: a collection
        # that walks it would write to every object (its header) and copy every page the
        # worker shares with the master, making a fresh worker's first requests slow.
        gc.collect()
        gc.freeze()


def pre_fork(server, worker):
    """In the master: the new worker takes the slot (its turn to retire) of the one it
    replaces, or the first free one at boot."""
    if schedule is not None:
        taken = [getattr(w, "recycling_slot", None) for w in server.WORKERS.values()]
        worker.recycling_slot = schedule.claim_slot(
            [slot for slot in taken if slot is not None], server.num_workers
        )


def post_fork(server, worker):
    if schedule is not None:
        worker.recycling_turn = schedule.first_turn(
            worker.recycling_slot, server.num_workers, schedule.served()
        )


def post_worker_init(worker):
    """In the worker, before it accepts a request: its own connections to the cache and the
    database, and what it caches per process from them."""
    if worker.cfg.preload_app:
        from config.prefork import warm_worker

        warm_worker()


def post_request(worker, req, environ, resp):
    if schedule is None:
        return
    schedule.count(worker.recycling_slot)
    if worker.alive and schedule.served() >= worker.recycling_turn:
        worker.log.info("Worker %s: its turn to be recycled, after this request.", worker.pid)
        worker.alive = False  # what gunicorn's max_requests does: exit after this request
