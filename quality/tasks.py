"""The weekly digest in the background (django-tasks), for a run started outside the
scheduler's loop; the scheduler itself runs `send_quality_digest` (bin/docker-entrypoint.sh)."""

from django_tasks import task


@task()
def send_quality_digest_task(dry_run: bool = False) -> dict:
    from quality.services.digest import send_digests

    report = send_digests(dry_run=dry_run)
    return {"sent": len(report.sent), "failed": len(report.failed)}
