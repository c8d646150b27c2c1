"""The task tests/test_task_workers.py queues for `manage.py db_worker` processes: it lives in
the `tests` package so that the workers, started from the project's root, can import it."""

import os
import time

from django_tasks import task


@task(takes_context=True)
def record_run(context, log_path, pause):
    """Append one line per run: the task, the worker that claimed it, the process that ran it.

    The pause makes the workers compete for the queue instead of one draining it alone. One
    write() on an O_APPEND descriptor: lines from several processes never interleave."""
    time.sleep(pause)
    result = context.task_result
    line = f"{result.id} {result.worker_ids[-1]} {os.getpid()}\n".encode()
    descriptor = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
