import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from conftest import host_client
from occitan.models import Entry, Expression, Recording
from occitan.tests.audio_files import bundled, upload, wav_bytes

pytestmark = pytest.mark.django_db
WAV = wav_bytes(0.5)  # 8,044 bytes


@pytest.fixture
def recording():
    """A recording still waiting for its web copy: its original is served."""
    recording = Recording(title="L'ostal", original=upload("ostal.wav", WAV))
    recording.save()
    return recording


@pytest.fixture
def entry(recording):
    return Entry.objects.create(
        slug="maison", french="maison", occitan="l'ostal", recording=recording, live=True
    )


@pytest.fixture
def client(pays):
    return host_client(pays.hostname)


def body(response):
    return b"".join(response.streaming_content)


def test_a_public_recording_is_served_whole_with_its_headers(client, entry, recording):
    response = client.get(recording.get_absolute_url())
    assert response.status_code == 200  # noqa: PLR2004
    assert body(response) == WAV
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Length"] == str(len(WAV))
    assert response["Accept-Ranges"] == "bytes"
    assert "immutable" in response["Cache-Control"]  # asked at its current version
    assert response["ETag"] and response["Last-Modified"]
    assert "max-age=3600" in client.get(f"/audio/occitan/{recording.pk}/")["Cache-Control"]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, len(WAV) - 1), ("bytes=-50", len(WAV) - 50, None)],
)
def test_one_byte_range_is_served_partially(client, entry, recording, header, start, end):
    end = len(WAV) - 1 if end is None else end
    response = client.get(recording.get_absolute_url(), HTTP_RANGE=header)
    assert response.status_code == 206  # noqa: PLR2004
    assert body(response) == WAV[start : end + 1]
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(WAV)}"
    assert response["Content-Length"] == str(end - start + 1)


def test_ranges_past_the_end_are_unsatisfiable_and_odd_ones_get_the_whole_file(
    client, entry, recording
):
    url = recording.get_absolute_url()
    for header in (f"bytes={len(WAV)}-", "bytes=99999-100000", "bytes=-0"):
        response = client.get(url, HTTP_RANGE=header)
        assert response.status_code == 416, header  # noqa: PLR2004
        assert response["Content-Range"] == f"bytes */{len(WAV)}"
    assert client.get(url, HTTP_RANGE="bytes=0-10,20-30").status_code == 200  # noqa: PLR2004
    assert client.get(url, HTTP_RANGE="lines=1-2").status_code == 200  # noqa: PLR2004
    partial = client.get(url, HTTP_RANGE="bytes=0-", HTTP_IF_RANGE='"stale"')
    assert partial.status_code == 200  # noqa: PLR2004


def test_head_and_conditional_requests(client, entry, recording):
    url = recording.get_absolute_url()
    head = client.head(url, HTTP_RANGE="bytes=0-99")
    assert head.status_code == 206 and head.content == b""  # noqa: PLR2004
    assert head["Content-Length"] == "100"
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(len(WAV))  # noqa: PLR2004
    again = client.get(url, HTTP_IF_NONE_MATCH=head["ETag"])
    assert again.status_code == 304  # noqa: PLR2004
    assert client.post(url).status_code == 405  # noqa: PLR2004


def test_a_recording_of_no_live_entry_is_hidden_from_visitors(client, recording, entry):
    Entry.objects.filter(pk=entry.pk).update(live=False)
    url = recording.get_absolute_url()
    assert client.get(url).status_code == 404  # noqa: PLR2004
    Expression.objects.create(
        slug="a-l-ostal",
        occitan="A l'ostal",
        literal="À la maison",
        recording=recording,
        live=False,
    )
    assert client.get(url).status_code == 404  # a draft expression does not publish it  # noqa: PLR2004
    Expression.objects.update(live=True)
    assert client.get(url).status_code == 200  # noqa: PLR2004


def test_editors_may_listen_to_recordings_under_review(client, recording):
    url = recording.get_absolute_url()
    user = get_user_model().objects.create_user("relectrice", password="x")  # noqa: S106
    client.force_login(user)
    assert client.get(url).status_code == 404  # signed in, but no Occitan permission  # noqa: PLR2004
    user.user_permissions.add(Permission.objects.get(codename="view_recording"))
    client.force_login(get_user_model().objects.get(pk=user.pk))
    response = client.get(url)
    assert response.status_code == 200 and body(response) == WAV  # noqa: PLR2004
    assert response["Cache-Control"] == "private, no-cache"


def test_the_web_copy_is_served_when_ready_and_the_original_on_request(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recording = Recording(title="Lo pan", original=upload("pan.mp3", bundled("tone.mp3")))
        recording.save()
    recording.refresh_from_db()
    Entry.objects.create(
        slug="pain", french="pain", occitan="lo pan", recording=recording, live=True
    )
    web = client.get(recording.get_absolute_url())
    assert web["Content-Type"] == "audio/ogg" and body(web)[:4] == b"OggS"
    original = client.get(f"/audio/occitan/{recording.pk}/?original=1")
    assert original["Content-Type"] == "audio/mpeg" and body(original) == bundled("tone.mp3")
    assert original["ETag"] != web["ETag"]
    assert client.get("/audio/occitan/999999/").status_code == 404  # noqa: PLR2004
