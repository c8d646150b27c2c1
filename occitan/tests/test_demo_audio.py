import shutil

import pytest

from occitan.models import Entry, Recording, Speaker
from occitan.services.demo_audio import AUDIO_DIR, demo_recordings
from occitan.tests.audio_files import FILES

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    return {
        "maison": Entry.objects.create(slug="maison", french="maison", occitan="l'ostal"),
        "porte": Entry.objects.create(slug="porte", french="porte", occitan="la pòrta"),
    }


def test_the_shipped_folder_is_honest_and_small(entries):
    assert demo_recordings(entries) == []  # no Debian tool speaks Occitan (README)
    assert "enregistrement à venir" in (AUDIO_DIR / "README.md").read_text()
    assert sum(p.stat().st_size for p in AUDIO_DIR.iterdir()) < 1_000_000  # noqa: PLR2004


def test_listed_files_are_attached_to_their_entries_once(entries, tmp_path):
    shutil.copy(FILES / "tone.ogg", tmp_path / "maison.ogg")
    (tmp_path / "recordings.csv").write_text(
        "file,french,transcript,speaker,synthetic,place,recorded_on\n"
        "maison.ogg,maison,l'ostal,Tonalité de test,1,,2026-12-03\n"
        "absent.ogg,fenêtre,la fenèstra,Tonalité de test,1,,2026-12-03\n",
        encoding="utf-8",
    )
    first = demo_recordings(entries, tmp_path)
    again = demo_recordings(entries, tmp_path)
    assert [r.pk for r in first] == [r.pk for r in again] and len(first) == 1
    recording = Recording.objects.get()
    assert (recording.transcript, str(recording.recorded_on)) == ("l'ostal", "2026-12-03")
    assert recording.mime_type == "audio/ogg" and recording.speaker.synthetic
    assert Speaker.objects.count() == 1
    entries["maison"].refresh_from_db()
    assert entries["maison"].recording == recording
    assert entries["porte"].recording is None
