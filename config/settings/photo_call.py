"""Settings of the « appel à photos » (docs/photos.md, « Crédits et campagne »)."""

import os

from django.core.exceptions import ImproperlyConfigured

# Residents' photos wait for moderation here: by default MEDIA_ROOT/documents/photo-submissions,
# which the reverse proxy never serves (compose.yaml); only a Pays-staff view of the admin shows
# them (photos.models.submission_storage). A STORAGES["photo_submissions"] alias, when set,
# takes precedence (the tests keep them in memory).
PHOTO_SUBMISSIONS_ROOT = os.environ.get("PHOTO_SUBMISSIONS_ROOT", "")
PHOTO_SUBMISSION_MAX_BYTES = int(os.environ.get("PHOTO_SUBMISSION_MAX_BYTES", "15728640"))
# Refused photos are erased this many days after the decision; accepted ones (sent to Commons
# by then) and never-decided ones, with the sender's address, after the second period.
PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS = int(
    os.environ.get("PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS", "90")
)
PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS = int(
    os.environ.get("PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS", "365")
)
if min(PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS, PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS) < 1:
    raise ImproperlyConfigured("PHOTO_SUBMISSION_*_RETENTION_DAYS must be at least 1.")
