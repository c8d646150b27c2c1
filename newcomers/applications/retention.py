"""How long applications are kept: NEWCOMERS_APPLICATION_RETENTION_DAYS after they were sent.

The partner who received an application follows the candidate from its own files; the Pays
keeps its copy long enough to see a project through (two years by default, the period the
CNIL's guidance gives for prospects' data), then erases it. The scheduler runs
`manage.py purge_applications` once a day (bin/docker-entrypoint.sh) and the form states the
period from the same setting.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from newcomers.models.applications import Application


def retention_days():
    return settings.NEWCOMERS_APPLICATION_RETENTION_DAYS


@dataclass
class ApplicationPurgeReport:
    cutoff: datetime
    deleted: int
    dry_run: bool

    @property
    def summary(self):
        when = timezone.localtime(self.cutoff).strftime("%d/%m/%Y %H:%M")
        verb = "à supprimer" if self.dry_run else "supprimées"
        return f"{self.deleted} candidatures antérieures au {when} {verb}."


def purge_applications(now=None, dry_run=False) -> ApplicationPurgeReport:
    """Erase the applications older than the retention period (with their chosen areas); a
    dry run counts them and rolls back."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    with transaction.atomic():
        _total, by_model = Application.objects.expired(cutoff).delete()
        if dry_run:
            transaction.set_rollback(True)
    return ApplicationPurgeReport(
        cutoff=cutoff, deleted=by_model.get(Application._meta.label, 0), dry_run=dry_run
    )
