"""Where media files live: under MEDIA_ROOT, or in an S3-compatible bucket when
AWS_STORAGE_BUCKET_NAME is set (docs/scaling.md#media-on-object-storage)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Objects larger than this are spooled to a temporary file when read (a document streamed by
# Django, an original image read for a rendition), not held in memory.
_S3_MAX_MEMORY_SIZE = 2 * 1024 * 1024


def s3_media_storages(environ):
    """The storages and MEDIA_URL for the bucket `environ` names, or None."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip().rstrip("/")
    if not endpoint:
        raise ImproperlyConfigured(
            "AWS_S3_ENDPOINT_URL must be set with AWS_STORAGE_BUCKET_NAME, "
            "e.g. https://s3.fr-par.scw.cloud."
        )
    location = environ.get("AWS_LOCATION", "").strip().strip("/")
    domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    style = environ.get("AWS_S3_ADDRESSING_STYLE", "").strip() or "path"
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": environ.get("AWS_S3_REGION_NAME", "").strip() or None,
        "addressing_style": style,
        "location": location,
        "custom_domain": domain or None,
        # Public images by their plain URL; private files never by theirs (MediaStorage).
        "querystring_auth": False,
        # S3Storage replaces an object of the same name by default; Wagtail expects a new name.
        "file_overwrite": False,
        "max_memory_size": _S3_MAX_MEMORY_SIZE,
    }
    # Without keys, boto3's own chain (its environment variables, an instance role).
    keys = {"access_key": "AWS_ACCESS_KEY_ID", "secret_key": "AWS_SECRET_ACCESS_KEY"}
    options |= {option: environ[name] for option, name in keys.items() if environ.get(name)}
    if domain:
        base = f"https://{domain}/"
    elif style == "virtual":
        parts = urlsplit(endpoint)
        base = f"{parts.scheme}://{bucket}.{parts.netloc}/"
    else:
        base = f"{endpoint}/{bucket}/"
    # The origin of the images' URLs, which the Content-Security-Policy allows (img-src).
    media_url = f"{base}{location}/" if location else base
    media = {"BACKEND": "serving.media_storage.MediaStorage", "OPTIONS": options}
    storages = {"default": media}
    if not environ.get("PHOTO_SUBMISSIONS_ROOT"):
        # The residents' photos wait for moderation in the bucket too, as private objects, so
        # that every application server sees them (photos.models.submission_storage).
        submissions = "/".join(filter(None, [location, "photo-submissions"]))
        storages["photo_submissions"] = media | {"OPTIONS": options | {"location": submissions}}
    return storages, media_url


_BASE_DIR = Path(__file__).resolve().parent.parent.parent

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", _BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
_s3 = s3_media_storages(os.environ)
if _s3:
    STORAGES |= _s3[0]
    MEDIA_URL = _s3[1]
