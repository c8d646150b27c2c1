"""The web copy of a recording: a small Ogg/Opus file (mono) made by ffmpeg in the
background (occitan.tasks.make_web_copy). The original is kept and served until the copy is
ready, and for good when ffmpeg is missing or fails; the recording's status and error say so."""

import subprocess
import tempfile
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from occitan.models import Recording
from occitan.services.audio import OGG, local_path, tool

TIMEOUT = 300


def make_web_copy(recording_id: int, original_name: str = "") -> str:
    """Make the web copy of this recording's original; returns the status written. Does
    nothing when the recording is gone or its original changed since (a newer task follows)."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None or not recording.original:
        return ""
    if original_name and recording.original.name != original_name:
        return ""
    ffmpeg = tool("ffmpeg")
    if not ffmpeg:
        return finish(
            recording,
            error=_("ffmpeg n'est pas installé sur le serveur : l'original est servi tel quel."),
        )
    with tempfile.TemporaryDirectory(prefix="occitan-web-") as folder:
        target = Path(folder) / "web.ogg"
        try:
            with local_path(recording.original) as source:
                done = transcode(ffmpeg, source, target)
        except (OSError, subprocess.TimeoutExpired) as error:
            return finish(recording, error=_("ffmpeg n'a pas pu convertir : %s") % error)
        if done.returncode or not target.exists() or not target.stat().st_size:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            return finish(
                recording,
                error=_("ffmpeg n'a pas pu convertir l'original : %s") % detail[0][:300],
            )
        with target.open("rb") as stream:
            # Named after its original: a new original never reuses the old copy's name.
            tag = format(zlib.crc32(recording.original.name.encode()), "08x")
            return finish(recording, web=File(stream, name=f"{recording.pk}-{tag}.ogg"))


def transcode(ffmpeg: str, source: Path, target: Path):
    command = [ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", str(source)]
    command += ["-map", "0:a:0", "-vn", "-map_metadata", "-1", "-ac", "1", "-c:a", "libopus"]
    command += ["-b:a", f"{settings.OCCITAN_AUDIO_WEB_KBPS}k", "-f", "ogg", str(target)]
    return subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)  # noqa: S603


def finish(recording, *, web=None, error=""):
    """Write the outcome in one transaction, against the row as it is now: a new original
    uploaded meanwhile wins and this copy is dropped."""
    with transaction.atomic():
        current = Recording.objects.select_for_update().filter(pk=recording.pk).first()
        if current is None or current.original.name != recording.original.name:
            return ""
        old = current.web_file.name if current.web_file else ""
        if web is not None:
            current.web_file.save(web.name, web, save=False)
            current.web_mime_type = OGG
            current.status, current.error = Recording.Status.READY, ""
        else:
            current.web_file, current.web_mime_type = "", ""
            current.status, current.error = Recording.Status.FAILED, error[:400]
        current.save(update_fields=["web_file", "web_mime_type", "status", "error"])
        if old and old != current.web_file.name:
            storage, name = current.web_file.storage, old
            transaction.on_commit(lambda: storage.delete(name))
    recording.refresh_from_db()
    return current.status
