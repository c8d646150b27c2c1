"""Audio files for the tests: WAV made with the `wave` module, the bundled tones, ffmpeg."""

import io
import math
import struct
import subprocess
import wave
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

FILES = Path(__file__).resolve().parent / "files"


def wav_bytes(seconds=1.0, rate=8000):
    """A mono 16-bit WAV: a 440 Hz tone of this length."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = int(seconds * rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(frames)
            )
        )
    return buffer.getvalue()


def bundled(name):
    return (FILES / name).read_bytes()


def ffmpeg_bytes(*args, fmt):
    """What ffmpeg writes to stdout for a 1 s tone with these output options."""
    command = ["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1"]
    return subprocess.run(  # noqa: S603
        [*command, *args, "-f", fmt, "pipe:1"], capture_output=True, check=True
    ).stdout


def upload(name, content, content_type="audio/mpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
