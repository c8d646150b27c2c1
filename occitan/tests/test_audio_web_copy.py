import pytest

from occitan.models import Recording
from occitan.services.audio import local_path, probe_duration
from occitan.services.web_copy import make_web_copy
from occitan.tests.audio_files import bundled, upload, wav_bytes

pytestmark = pytest.mark.django_db


def saved(django_capture_on_commit_callbacks, content, name="voix.wav"):
    with django_capture_on_commit_callbacks(execute=True):
        recording = Recording(title="Bonjorn", original=upload(name, content))
        recording.save()
    recording.refresh_from_db()
    return recording


def test_saving_a_new_original_makes_a_small_playable_ogg_opus_copy(
    django_capture_on_commit_callbacks,
):
    recording = saved(django_capture_on_commit_callbacks, wav_bytes(2.0, rate=16000))
    assert (recording.status, recording.error) == (Recording.Status.READY, "")
    assert recording.web_mime_type == "audio/ogg"
    with recording.web_file.open("rb") as stream:
        copy = stream.read()
    assert copy[:4] == b"OggS" and b"OpusHead" in copy[:100]
    assert len(copy) < recording.size / 2  # mono, 40 kbit/s: far smaller than the WAV
    with local_path(recording.web_file) as path:
        assert 1.9 < probe_duration(path) < 2.1  # noqa: PLR2004
    assert recording.original.name.endswith(".wav")  # the original is kept


def test_a_new_original_drops_the_old_copy_and_makes_another(django_capture_on_commit_callbacks):
    recording = saved(django_capture_on_commit_callbacks, bundled("tone.mp3"), "a.mp3")
    first = recording.web_file.name
    storage = recording.web_file.storage
    with django_capture_on_commit_callbacks(execute=True):
        recording.original = upload("b.ogg", bundled("tone.ogg"))
        recording.save()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY
    assert recording.web_file.name != first and not storage.exists(first)
    assert recording.mime_type == "audio/ogg"


def test_without_ffmpeg_the_status_says_so_and_the_original_stays(
    settings, django_capture_on_commit_callbacks
):
    settings.OCCITAN_FFMPEG = "/nonexistent/ffmpeg"
    recording = saved(django_capture_on_commit_callbacks, wav_bytes(0.5))
    assert recording.status == Recording.Status.FAILED
    assert "ffmpeg n'est pas installé" in recording.error
    assert not recording.web_file and recording.original


def test_a_task_for_a_replaced_original_does_nothing():
    recording = Recording(title="x", original=upload("a.wav", wav_bytes(0.5)))
    recording.save()
    assert make_web_copy(recording.pk, "occitan/originals/older.wav") == ""
    assert make_web_copy(recording.pk + 1000) == ""
    recording.refresh_from_db()
    assert recording.status == Recording.Status.PENDING


def test_on_a_disk_storage_the_stored_files_are_read_in_place(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    recording = saved(django_capture_on_commit_callbacks, bundled("tone.ogg"), "pan.ogg")
    assert recording.status == Recording.Status.READY
    with local_path(recording.web_file) as path:
        assert path == tmp_path / recording.web_file.name  # no copy
        assert 1.4 < probe_duration(path) < 1.6  # noqa: PLR2004
    assert (tmp_path / recording.original.name).read_bytes() == bundled("tone.ogg")
