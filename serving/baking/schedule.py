"""At each committed change: withdraw the changed sites' files at once (Django serves them,
so no visitor sees a page older than the change), then bake them again in the background.

With a django-tasks backend that runs tasks elsewhere, the bake is a task
(serving.tasks.bake_sites). With the ImmediateBackend (the embedded default), a task would
run inside the publish: one daemon thread of this process bakes instead, from a set of
pending site ids that coalesces changes made while it works.
"""

import logging
import threading

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)
ALL = "all"


def on_change(change):
    """serving.cache's listener (connected in ServingConfig.ready when BAKING_ENABLED)."""
    from serving.baking.engine import withdraw

    site_ids = None if change.pays else sorted(change.sites)
    if site_ids == []:
        return
    withdraw(site_ids)
    schedule(site_ids)


def detach():
    """Stop listening in this process (the `bake` command: it bakes what is due itself)."""
    from serving import cache

    if on_change in cache._listeners:
        cache._listeners.remove(on_change)


def immediate_backend():
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


def schedule(site_ids):
    """Bake these sites (None: all) soon, without waiting for it."""
    if not settings.BAKING_BACKGROUND:
        _baker.keep(site_ids)
        return
    if immediate_backend():
        _baker.add(site_ids)
        return
    from serving.tasks import bake_sites as task

    task.enqueue(site_ids)


class BackgroundBaker:
    """One daemon thread baking the pending sites; changes made meanwhile coalesce."""

    def __init__(self):
        self.pending = set()
        self.condition = threading.Condition()
        self.thread = None

    def keep(self, site_ids):
        with self.condition:
            self.pending.update([ALL] if site_ids is None else site_ids)

    def add(self, site_ids):
        with self.condition:
            self.keep(site_ids)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="baker", daemon=True)
                self.thread.start()
            self.condition.notify()

    def take(self):
        with self.condition:
            while not self.pending:
                if not self.condition.wait(timeout=60):
                    self.thread = None
                    return False
            batch, self.pending = self.pending, set()
        return None if ALL in batch else sorted(batch)

    def run(self):
        from serving.baking.runner import bake_sites

        while True:
            batch = self.take()
            if batch is False:
                return
            try:
                for result in bake_sites(batch):
                    logger.info("baked %s", result.summary())
            except Exception:
                logger.exception("background bake failed")
            finally:
                connections.close_all()


_baker = BackgroundBaker()


def run_pending():
    """Bake, here and now, the sites waiting to be (BAKING_BACKGROUND off: the tests)."""
    from serving.baking.runner import bake_sites

    with _baker.condition:
        batch, _baker.pending = _baker.pending, set()
    if batch:
        return bake_sites(None if ALL in batch else sorted(batch))
    return []
