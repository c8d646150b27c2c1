"""How long the messages visitors send through the sites' forms are kept.

The contact form keeps each message (wagtail.contrib.forms' FormSubmission) so that the
mairie can answer it and find it again. Past FORM_SUBMISSION_RETENTION_MONTHS it is erased:
the scheduler runs `manage.py purge_form_submissions` (bin/docker-entrypoint.sh), and each
site's personal-data page states the period from the same setting.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

PERSONAL_DATA_SLUG = "donnees-personnelles"


def retention_months():
    return settings.FORM_SUBMISSION_RETENTION_MONTHS


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when
    that month is shorter: 31 May minus 3 months is 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class PurgeReport:
    cutoff: datetime
    deleted: int
    dry_run: bool

    @property
    def summary(self):
        when = timezone.localtime(self.cutoff).strftime("%d/%m/%Y %H:%M")
        verb = "à supprimer" if self.dry_run else "supprimés"
        return f"{self.deleted} messages de formulaire antérieurs au {when} {verb}."


def purge_form_submissions(now=None, dry_run=False) -> PurgeReport:
    """Erase the form submissions older than the retention period; a dry run counts them
    and rolls back."""
    cutoff = months_before(now or timezone.now(), retention_months())
    with transaction.atomic():
        _total, by_model = FormSubmission.objects.filter(submit_time__lt=cutoff).delete()
        if dry_run:
            transaction.set_rollback(True)
    return PurgeReport(
        cutoff=cutoff, deleted=by_model.get(FormSubmission._meta.label, 0), dry_run=dry_run
    )
