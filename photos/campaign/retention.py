"""How long the residents' photos are kept (docs/photos.md, « Crédits et campagne »).

Refused: PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS (90) after the decision. Accepted: sent to
Commons by the Pays team, where the author is credited; the Pays' copy and the sender's
address go PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS (365) after the decision. Never decided:
the same year after they were sent. `manage.py purge_photo_submissions` runs it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from photos.models import PhotoSubmission


def expired(now=None):
    now = now or timezone.now()
    refused = now - timedelta(days=settings.PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS)
    kept = now - timedelta(days=settings.PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS)
    Status = PhotoSubmission.Status
    return PhotoSubmission.objects.filter(
        Q(status=Status.REFUSED, decided_at__lt=refused)
        | Q(status=Status.ACCEPTED, decided_at__lt=kept)
        | Q(status=Status.PENDING, created_at__lt=kept)
    )


def purge_submissions(now=None, dry_run=False):
    """Erase the expired submissions, their files after the rows are gone; the count."""
    with transaction.atomic():
        rows = list(expired(now).select_for_update())
        if dry_run:
            return len(rows)
        names = [row.file.name for row in rows if row.file]
        PhotoSubmission.objects.filter(pk__in=[row.pk for row in rows]).delete()
        storage = PhotoSubmission._meta.get_field("file").storage

        def erase():
            for name in names:
                storage.delete(name)

        transaction.on_commit(erase)
    return len(rows)
