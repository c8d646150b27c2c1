"""The quality section's background work (django-tasks), for runs started outside the
scheduler's loop; the scheduler itself runs `send_quality_digest` and `check_links`
(bin/docker-entrypoint.sh)."""

from django_tasks import task


@task()
def send_quality_digest_task(dry_run: bool = False) -> dict:
    from quality.services.digest import send_digests

    report = send_digests(dry_run=dry_run)
    return {"sent": len(report.sent), "failed": len(report.failed)}


@task()
def check_links_task(hostname: str | None = None) -> dict:
    """Check one site (by hostname) or all; returns {hostname: number of problems or error}."""
    from wagtail.models import Site

    from quality.services import links

    if hostname:
        reports = [links.check_site(Site.objects.get(hostname=hostname))]
    else:
        reports = links.check_all()
    return {r.hostname: (r.error or sum(r.issues.values())) for r in reports}
