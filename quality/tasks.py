"""The link checker in the background (django-tasks), for whoever wants to queue it."""

from django_tasks import task


@task()
def check_links_task(hostname: str | None = None) -> dict:
    """Check one site (by hostname) or all; returns {hostname: number of problems}."""
    from wagtail.models import Site

    from quality.services import links

    if hostname:
        reports = [links.check_site(Site.objects.get(hostname=hostname))]
    else:
        reports = links.check_all()
    return {r.hostname: (r.error or sum(r.issues.values())) for r in reports}
