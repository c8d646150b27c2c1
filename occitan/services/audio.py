"""Uploaded recordings checked by their bytes: MP3, Ogg (Vorbis or Opus) or WAV.

The format is read from the file's first bytes (ID3 or an MPEG frame sync, `OggS`,
`RIFF....WAVE`), never from its name or the browser's content type. WAV and Ogg are also
walked in pure Python (the WAV header's data size, every Ogg page) so that a truncated file is
refused and their duration is known without ffprobe; ffprobe (Debian's ffmpeg), when present,
reads every file's duration and refuses what it cannot read.
"""

import contextlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MP3, OGG, WAV = "audio/mpeg", "audio/ogg", "audio/wav"
EXTENSIONS = {MP3: ".mp3", OGG: ".ogg", WAV: ".wav"}
PROBE_TIMEOUT = 30
# Audio formats recognised only to say they are not taken (magic bytes → name).
OTHER_AUDIO = (
    (b"fLaC", 0, "FLAC"),
    (b"ftypM4A", 4, "M4A / AAC"),
    (b"ftyp", 4, "MP4"),
    (b"\x1a\x45\xdf\xa3", 0, "WebM / Matroska"),
    (b"#!AMR", 0, "AMR"),
    (b"FORM", 0, "AIFF"),
    (b"0&\xb2u", 0, "WMA"),
)


@dataclass(frozen=True)
class AudioInfo:
    mime_type: str
    duration: float | None
    size: int

    @property
    def extension(self):
        return EXTENSIONS[self.mime_type]


def validate_audio(file) -> AudioInfo:
    """The file's format, duration and size, or a ValidationError with a French message."""
    size = file.size or 0
    if not size:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    limit = settings.OCCITAN_AUDIO_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("Le fichier est trop lourd (%(size)s) : %(limit)s au plus.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    with local_path(file) as path:
        with path.open("rb") as stream:
            mime_type = sniff(stream.read(64))
        duration = STRUCTURE[mime_type](path)
        probed = probe_duration(path)
    duration = probed if probed is not None else duration
    if duration is not None and duration > settings.OCCITAN_AUDIO_MAX_SECONDS:
        raise ValidationError(
            _("L'enregistrement est trop long (%(duration)s) : %(limit)s au plus.")
            % {
                "duration": minutes(duration),
                "limit": minutes(settings.OCCITAN_AUDIO_MAX_SECONDS),
            },
            code="too_long",
        )
    return AudioInfo(mime_type=mime_type, duration=duration, size=size)


def sniff(head: bytes) -> str:
    """The MIME type read from the first bytes: MP3, Ogg or WAV, else a ValidationError."""
    if head.startswith(b"ID3") or is_mpeg_frame(head):
        return MP3
    if head.startswith(b"OggS"):
        return OGG
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    for magic, offset, name in OTHER_AUDIO:
        if head[offset : offset + len(magic)] == magic:
            raise unsupported(name)
    raise ValidationError(
        _(
            "Ce fichier n'est pas un enregistrement audio (quel que soit son nom). "
            "Envoyez un fichier MP3, Ogg ou WAV."
        ),
        code="not_audio",
    )


def is_mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a version and a layer (I, II or III)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:  # noqa: PLR2004
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3  # noqa: PLR2004


def unsupported(name):
    return ValidationError(
        _("Format audio non pris en charge (%(name)s). Envoyez un fichier MP3, Ogg ou WAV.")
        % {"name": name},
        code="unsupported",
    )


def unreadable():
    return ValidationError(
        _(
            "Le fichier audio est illisible ou incomplet (envoi interrompu ?). "
            "Envoyez-le à nouveau."
        ),
        code="unreadable",
    )


def minutes(seconds):
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s"


# --- Structure, in pure Python -------------------------------------------------------------------


def wav_duration(path: Path) -> float:
    """The duration from the `fmt ` chunk's byte rate and the `data` chunk's size; a data
    chunk longer than the file means a truncated file."""
    size = path.stat().st_size
    byte_rate = None
    with path.open("rb") as stream:
        stream.seek(12)
        while True:
            header = stream.read(8)
            if len(header) < 8:  # noqa: PLR2004
                raise unreadable()
            chunk, length = header[:4], int.from_bytes(header[4:], "little")
            start = stream.tell()
            if chunk == b"fmt ":
                fmt = stream.read(16)
                if len(fmt) < 16:  # noqa: PLR2004
                    raise unreadable()
                byte_rate = int.from_bytes(fmt[8:12], "little")
            elif chunk == b"data":
                if not byte_rate or start + length > size:
                    raise unreadable()
                return length / byte_rate
            stream.seek(start + length + (length & 1))


def ogg_duration(path: Path) -> float:
    """Every Ogg page walked: a page cut short means a truncated file; the codec must be
    Vorbis or Opus; the duration is the last page's granule position over the sample rate."""
    size = path.stat().st_size
    codec, rate, pre_skip, granule, offset = None, 0, 0, 0, 0
    with path.open("rb") as stream:
        while offset < size:
            stream.seek(offset)
            header = stream.read(27)
            if len(header) < 27 or header[:4] != b"OggS":  # noqa: PLR2004
                raise unreadable()
            table = stream.read(header[26])
            body = sum(table)
            if len(table) < header[26] or offset + 27 + len(table) + body > size:
                raise unreadable()
            if codec is None:
                packet = stream.read(min(body, 64))
                codec, rate, pre_skip = ogg_codec(packet)
            position = int.from_bytes(header[6:14], "little", signed=True)
            if position >= 0:
                granule = position
            offset += 27 + len(table) + body
    return max(granule - pre_skip, 0) / rate


def ogg_codec(packet: bytes):
    """(codec, sample rate, pre-skip) from the first packet of an Ogg stream."""
    if packet.startswith(b"OpusHead") and len(packet) >= 12:  # noqa: PLR2004
        return "opus", 48000, int.from_bytes(packet[10:12], "little")
    if packet.startswith(b"\x01vorbis") and len(packet) >= 16:  # noqa: PLR2004
        rate = int.from_bytes(packet[12:16], "little")
        if rate:
            return "vorbis", rate, 0
    if packet.startswith((b"\x7fFLAC", b"fLaC")):
        raise unsupported("Ogg FLAC")
    if packet.startswith(b"Speex"):
        raise unsupported("Ogg Speex")
    if packet.startswith((b"\x80theora", b"\x01video")):
        raise unsupported(_("vidéo Ogg"))
    raise unsupported(_("Ogg, ni Vorbis ni Opus"))


STRUCTURE = {MP3: lambda path: None, OGG: ogg_duration, WAV: wav_duration}


# --- ffprobe and ffmpeg --------------------------------------------------------------------------


def tool(name: str) -> str | None:
    """The path of ffmpeg or ffprobe (settings OCCITAN_FFMPEG / OCCITAN_FFPROBE), or None."""
    return shutil.which(getattr(settings, f"OCCITAN_{name.upper()}", name))


def probe_duration(path: Path) -> float | None:
    """The duration ffprobe reads, None without ffprobe; a ValidationError when it cannot
    read an audio stream."""
    ffprobe = tool("ffprobe")
    if not ffprobe:
        return None
    command = [ffprobe, "-v", "error", "-print_format", "json"]
    command += ["-show_entries", "format=duration:stream=codec_type", str(path)]
    try:
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, timeout=PROBE_TIMEOUT, check=False
        )
        found = json.loads(done.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError):
        raise unreadable() from None
    streams = [s.get("codec_type") for s in found.get("streams", [])]
    if done.returncode or "audio" not in streams:
        raise unreadable()
    try:
        return float(found["format"]["duration"])
    except (KeyError, TypeError, ValueError):
        return None


@contextlib.contextmanager
def local_path(file):
    """A path on disk holding the file's bytes: the upload's own temporary file when Django
    wrote one, the stored file on a disk storage, else a copy (the storage may not be on
    disk). The file is rewound after."""
    try:
        on_disk = disk_path(file)
        if on_disk:
            yield on_disk
            return
        with tempfile.NamedTemporaryFile(prefix="occitan-audio-") as copy:
            if getattr(file, "closed", False):
                file.open("rb")
            file.seek(0)
            for chunk in file.chunks():
                copy.write(chunk)
            copy.flush()
            yield Path(copy.name)
    finally:
        with contextlib.suppress(Exception):
            file.seek(0)


def disk_path(file) -> Path | None:
    """Where the bytes already are on disk, if they are."""
    for holder in (file, getattr(file, "file", None)):
        temporary = getattr(holder, "temporary_file_path", None)
        if temporary:
            return Path(temporary())
    if getattr(file, "_committed", False):
        with contextlib.suppress(NotImplementedError, AttributeError, ValueError):
            path = Path(file.path)
            if path.is_file():
                return path
    return None
