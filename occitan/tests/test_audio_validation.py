import pytest
from django.core.exceptions import ValidationError

from occitan.models import Recording
from occitan.services.audio import MP3, OGG, WAV, ogg_duration, validate_audio, wav_duration
from occitan.tests.audio_files import bundled, ffmpeg_bytes, upload, wav_bytes


def refused(file):
    with pytest.raises(ValidationError) as caught:
        validate_audio(file)
    return caught.value.code, " ".join(caught.value.messages)


def test_wav_ogg_and_mp3_are_recognised_by_their_bytes_whatever_their_name():
    wav = validate_audio(upload("voice.mp3", wav_bytes(2.0), "audio/mpeg"))
    assert (wav.mime_type, round(wav.duration, 2)) == (WAV, 2.0)
    assert wav.size == len(wav_bytes(2.0))
    ogg = validate_audio(upload("voice.wav", bundled("tone.ogg"), "audio/wav"))
    assert ogg.mime_type == OGG and 1.4 < ogg.duration < 1.6  # noqa: PLR2004
    mp3 = validate_audio(upload("voice.ogg", bundled("tone.mp3"), "audio/ogg"))
    assert mp3.mime_type == MP3 and 0.9 < mp3.duration < 1.2  # noqa: PLR2004
    vorbis = validate_audio(upload("v", ffmpeg_bytes("-c:a", "libvorbis", fmt="ogg")))
    assert vorbis.mime_type == OGG and 0.9 < vorbis.duration < 1.1  # noqa: PLR2004


def test_an_mp3_without_id3_tag_is_recognised_by_its_frame_sync():
    bare = ffmpeg_bytes("-c:a", "libmp3lame", "-id3v2_version", "0", "-write_xing", "0", fmt="mp3")
    assert bare[:3] != b"ID3"
    assert validate_audio(upload("sans-nom", bare)).mime_type == MP3


def test_a_text_file_named_mp3_is_not_audio():
    code, message = refused(upload("chanson.mp3", b"Bonjorn a totes !\n" * 20, "audio/mpeg"))
    assert code == "not_audio"
    assert "n'est pas un enregistrement audio" in message


def test_other_audio_formats_are_named_and_refused():
    code, message = refused(upload("a.mp3", ffmpeg_bytes("-c:a", "flac", fmt="flac")))
    assert code == "unsupported" and "FLAC" in message
    code, message = refused(upload("a.ogg", ffmpeg_bytes("-c:a", "flac", fmt="ogg")))
    assert code == "unsupported" and "Ogg FLAC" in message


def test_truncated_files_are_refused():
    code, message = refused(upload("a.wav", wav_bytes(1.0)[:5000]))
    assert code == "unreadable" and "incomplet" in message
    ogg = bundled("tone.ogg")
    assert refused(upload("a.ogg", ogg[: len(ogg) - 700]))[0] == "unreadable"
    assert refused(upload("a.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x23" + b"\x00" * 40))[0] == (
        "unreadable"
    )
    assert refused(upload("vide.wav", b""))[0] == "empty"


def test_too_big_and_too_long_follow_the_settings(settings):
    settings.OCCITAN_AUDIO_MAX_BYTES = 10_000
    code, message = refused(upload("a.wav", wav_bytes(1.0)))
    assert code == "too_big" and "trop lourd" in message
    settings.OCCITAN_AUDIO_MAX_BYTES = 20 * 1024 * 1024
    settings.OCCITAN_AUDIO_MAX_SECONDS = 1
    code, message = refused(upload("a.wav", wav_bytes(1.5)))
    assert code == "too_long" and "0 min 02 s" in message and "0 min 01 s" in message


def test_without_ffprobe_wav_and_ogg_durations_come_from_their_structure(settings, tmp_path):
    settings.OCCITAN_FFPROBE = "/nonexistent/ffprobe"
    assert round(validate_audio(upload("a.wav", wav_bytes(3.0))).duration, 2) == 3.0  # noqa: PLR2004
    (tmp_path / "t.ogg").write_bytes(bundled("tone.ogg"))
    assert 1.49 < ogg_duration(tmp_path / "t.ogg") < 1.52  # noqa: PLR2004
    (tmp_path / "t.wav").write_bytes(wav_bytes(0.5, rate=16000))
    assert wav_duration(tmp_path / "t.wav") == 0.5  # noqa: PLR2004
    assert validate_audio(upload("a.mp3", bundled("tone.mp3"))).duration is None


@pytest.mark.django_db
def test_the_model_checks_and_stores_what_it_read():
    recording = Recording(title="Bonjorn", original=upload("bonjorn.mp3", b"%PDF-1.7 ..."))
    with pytest.raises(ValidationError) as caught:
        recording.full_clean()
    assert "n'est pas un enregistrement audio" in caught.value.message_dict["original"][0]
    with pytest.raises(ValidationError):
        recording.save()  # no form: the save path checks too
    assert not Recording.objects.exists()

    recording = Recording(title="Bonjorn", original=upload("bonjorn.mp3", bundled("tone.ogg")))
    recording.full_clean()
    recording.save()
    recording.refresh_from_db()
    assert (recording.mime_type, recording.size) == (OGG, len(bundled("tone.ogg")))
    assert 1.4 < recording.duration < 1.6  # noqa: PLR2004
    assert recording.original.name.endswith(".ogg")  # named after its bytes
    assert recording.status == Recording.Status.PENDING
