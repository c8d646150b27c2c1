"""The demo's recordings, read from occitan/data/audio/recordings.csv (see its README):
each shipped file becomes a Recording, with its speaker and transcript, attached to the entry
of its French word. Idempotent: run twice, it changes nothing the second time.

No file is shipped today (no Debian tool speaks Occitan: see the README), so the demo shows
« enregistrement à venir »; the same code takes real recordings when they are added.
"""

import csv
import datetime
from collections.abc import Mapping
from pathlib import Path

from django.core.files import File
from django.db import transaction

from occitan.models import Entry, Recording, Speaker

AUDIO_DIR = Path(__file__).resolve().parent.parent / "data" / "audio"
MANIFEST = "recordings.csv"


def demo_recordings(entries: Mapping[str, Entry], directory: Path = AUDIO_DIR) -> list[Recording]:
    """The demo recordings of these entries (French word → Entry), created once and attached
    to their entry; rows whose word is not given are left out."""
    recordings = []
    for row in manifest(directory):
        entry = entries.get(row["french"])
        if entry is None:
            continue
        with transaction.atomic():
            recording = recording_of(row, directory)
            if entry.recording_id != recording.pk:
                # The row only: the entry's review state and revisions are not touched.
                Entry.objects.filter(pk=entry.pk).update(recording=recording)
                entry.recording = recording
        recordings.append(recording)
    return recordings


def manifest(directory: Path) -> list[dict]:
    path = directory / MANIFEST
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        rows = [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(stream)
        ]
    return [row for row in rows if row.get("file") and row.get("french")]


def recording_of(row: dict, directory: Path) -> Recording:
    speaker, _created = Speaker.objects.get_or_create(
        name=row["speaker"],
        defaults={"synthetic": row.get("synthetic") == "1", "place": row.get("place", "")},
    )
    title = f"{row['french']} — {row['transcript']}"
    recording = Recording.objects.filter(speaker=speaker, title=title).first()
    if recording is not None:
        return recording
    recording = Recording(
        title=title,
        speaker=speaker,
        transcript=row["transcript"],
        place=row.get("place", ""),
        recorded_on=datetime.date.fromisoformat(row["recorded_on"])
        if row.get("recorded_on")
        else None,
    )
    with (directory / row["file"]).open("rb") as stream:
        recording.original = File(stream, name=row["file"])
        recording.save()
    return recording
