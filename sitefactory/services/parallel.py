"""Provisioning in parallel workers: `manage.py provision --all --workers N`.

The Pays comes first, in this process: every other site hangs below its portal. The rest is
cut into runs of BATCH_SIZE collectivités in the run's order, which N forked processes take
in turn, each with its own database connection and its own Provisioner. A batch reserves
its homes' path steps in a short transaction (tree.reserve_steps) and locks the rows that
every batch shares (the parent page, the root collection) only at its end, so the workers
overlap for most of their work. This process gathers the outcomes as they come, shows the
progress, writes the log and refreshes the planner's statistics, as a one-process run does.

PostgreSQL only: SQLite has one writer at a time. A run cut short is resumed by running it
again: what was made is recognised (fingerprints) and costs nothing.
"""

import multiprocessing
import os

from django.db import connection, connections

from communes.models import Collectivite
from sitefactory.services.batch import BATCH_SIZE
from sitefactory.services.provisioning import (
    ANALYZE_AT,
    CREATED,
    FAILED,
    REPLAN_EVERY,
    Provisioner,
    add_missing_revisions,
    provisioning_order,
    refresh_statistics,
    replan_foreign_key_checks,
)
from sitefactory.services.report import Outcome, ProvisioningError, Report

_worker = {}  # in each worker process: its Provisioner, and how many runs it has done


def provision_in_parallel(collectivites, *, workers, blueprint=None, user=None, progress=None):
    if connection.vendor != "postgresql":
        raise ProvisioningError(
            "plusieurs workers demandent PostgreSQL (SQLite n'écrit qu'une chose à la fois)"
        )
    if connection.in_atomic_block:
        raise ProvisioningError("les workers voient ce qui est validé : pas dans une transaction")
    items = provisioning_order(collectivites)
    provisioner = Provisioner(blueprint=blueprint, user=user)
    report = Report()
    report.initial_revisions = add_missing_revisions(items)
    first = [c for c in items if c.is_pays]
    for outcome in provisioner.run(first, log=False).outcomes:
        _add(report, outcome, len(items), progress)
    rest = [c for c in items if not c.is_pays]
    runs = [[c.pk for c in rest[i : i + BATCH_SIZE]] for i in range(0, len(rest), BATCH_SIZE)]
    by_pk = {c.pk: c for c in rest}
    # The workers are forked: none may share this process's connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start, initargs=(blueprint,)) as pool:
        for pid, results in pool.imap_unordered(_work, runs):
            report.worker_pids.add(pid)
            before = len(report.outcomes)
            for pk, values in results:
                outcome = Outcome(by_pk[pk], *values)
                _add(report, outcome, len(items), progress)
            if ANALYZE_AT.intersection(range(before + 1, len(report.outcomes) + 1)):
                refresh_statistics()
    order = {c.pk: n for n, c in enumerate(items)}
    report.outcomes.sort(key=lambda o: order[o.collectivite.pk])
    if report.count(CREATED) >= REPLAN_EVERY:
        refresh_statistics()
    provisioner.log(report)
    return report


def _add(report, outcome, total, progress):
    report.outcomes.append(outcome)
    if progress:
        progress(len(report.outcomes), total, outcome)


def _start(blueprint):
    connections.close_all()  # the parent's, inherited by the fork: never used here
    _worker.update(provisioner=Provisioner(blueprint=blueprint), runs=0)


def _work(pks):
    """One run of collectivités, in a worker; their outcomes, as plain values."""
    _worker["runs"] += 1
    if _worker["runs"] % (REPLAN_EVERY // BATCH_SIZE) == 0:
        replan_foreign_key_checks()
    rows = Collectivite.objects.filter(pk__in=pks).select_related("epci")
    rows = {c.pk: c for c in rows}
    try:
        outcomes = _worker["provisioner"].run([rows[pk] for pk in pks], log=False).outcomes
    except Exception as exc:  # noqa: BLE001 - reported for each, as a one-process run would
        error = f"{type(exc).__name__}: {exc}"
        outcomes = [Outcome(rows[pk], FAILED, error=error) for pk in pks]
    return os.getpid(), [
        (o.collectivite.pk, (o.result, o.blueprint, o.changes, o.error, o.new_page_ids, o.batched))
        for o in outcomes
    ]
