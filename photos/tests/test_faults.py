"""Each fault fails its commune only: the photo it had stays, the others go on.

Bergerac is synced first (the run goes by name), so a fault queued on a route is met by it.
"""

import pytest

from communes.models import Collectivite, SiteImage
from photos.models import CommunePhotoStatus
from photos.replay import Reply
from photos.services import sync
from photos.tests.conftest import jpeg, png, put_file

A = "24037"
OTHERS = ("24167", "24223")


def run(client_):
    return {r.code: r for r in sync.sync(sync.communes(), client=client_)}


def photo_of(code):
    return Collectivite.objects.get(code=code).home_page.specific.photo


@pytest.fixture
def synced(replay, client_):
    """Every commune has its photo already; Bergerac's file changed on Commons since."""
    assert {r.outcome for r in run(client_).values()} == {"created"}
    before = photo_of(A)
    put_file(replay, "Bergerac centre.jpg", jpeg((1, 2, 3), size=(16, 10)))
    return before


def assert_kept(before, result, reason):
    assert result.outcome == "failed"
    assert reason in result.reason
    image = photo_of(A)
    assert image.pk == before.pk
    assert (image.commons_sha1, image.file.name) == (before.commons_sha1, before.file.name)
    assert (image.width, image.height) == (12, 8)
    status = CommunePhotoStatus.objects.get(collectivite__code=A)
    assert status.outcome == "failed" and reason in status.reason


def assert_others_went_on(results):
    assert {results[code].outcome for code in OTHERS} == {"unchanged"}


API_FAULTS = {
    "429": Reply(429, b"slow down", {"Retry-After": "7"}),
    "503": Reply(503, b"busy", {"Retry-After": "2"}),
    "maxlag": Reply(
        200,
        {"error": {"code": "maxlag", "info": "Waiting for a database server: 6 seconds lagged"}},
        {"Retry-After": "5"},
    ),
}


@pytest.mark.parametrize("fault", sorted(API_FAULTS))
def test_refused_every_time_fails_that_commune_after_bounded_retries(
    fault, synced, replay, client_, sleeps
):
    replay.faults["imageinfo"] = [API_FAULTS[fault]] * 3  # 1 try + PHOTOS_MAX_RETRIES (2)
    results = run(client_)
    assert_kept(synced, results[A], "après 2 nouvelles tentatives")
    assert_others_went_on(results)
    retry_after = float(API_FAULTS[fault].headers["Retry-After"])
    assert sleeps == [max(retry_after, 1), max(retry_after, 2)]


def test_refused_once_then_answered_goes_through(synced, replay, client_, sleeps):
    replay.faults["search"] = [API_FAULTS["maxlag"]]
    Collectivite.objects.filter(code=A).update(wikidata_id="")
    results = run(client_)
    assert results[A].outcome == "updated"
    assert len(sleeps) == 1


def test_retry_after_absent_backs_off_exponentially(synced, replay, client_, sleeps):
    replay.faults["wbgetentities"] = [Reply(503, b"")] * 3
    run(client_)
    assert sleeps == [1, 2]


def test_a_timeout_fails_that_commune(synced, replay, client_):
    replay.faults["imageinfo"] = [Reply(body={}, delay=1.0)]  # PHOTOS_TIMEOUT read: 0.3 s
    results = run(client_)
    assert_kept(synced, results[A], "délai dépassé")
    assert_others_went_on(results)


def test_a_truncated_image_fails_that_commune(synced, replay, client_):
    whole = replay.files["Bergerac_centre.jpg"]
    replay.files["Bergerac_centre.jpg"] = whole[: len(whole) // 2]
    replay.pages["File:Bergerac centre.jpg"]["imageinfo"][0]["thumburl"] += "?thumb"
    results = run(client_)
    assert_kept(synced, results[A], "image illisible ou tronquée")
    assert_others_went_on(results)


def test_a_download_cut_short_fails_that_commune(synced, replay, client_):
    whole = replay.files["Bergerac_centre.jpg"]
    replay.faults["file"] = [Reply(200, whole[:50], {"Content-Length": str(len(whole))})]
    results = run(client_)
    assert_kept(synced, results[A], "tronqué")
    assert_others_went_on(results)


def test_a_sha1_mismatch_fails_that_commune(synced, replay, client_):
    replay.pages["File:Bergerac centre.jpg"]["imageinfo"][0]["sha1"] = "f" * 40
    results = run(client_)
    assert_kept(synced, results[A], "SHA-1")
    assert_others_went_on(results)


def test_an_svg_without_a_png_rendition_is_kept_out(synced, replay, client_):
    put_file(replay, "Bergerac centre.jpg", png(), svg=True)
    info = replay.pages["File:Bergerac centre.jpg"]["imageinfo"][0]
    info["thumburl"] = info["url"] = "{replay}/upload/Bergerac_centre.svg"
    results = run(client_)
    assert_kept(synced, results[A], "SVG")
    assert_others_went_on(results)


def test_svg_bytes_are_never_taken_for_an_image(synced, replay, client_):
    replay.files["Bergerac_centre.jpg"] = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    replay.pages["File:Bergerac centre.jpg"]["imageinfo"][0]["thumburl"] += "?rendition"
    results = run(client_)
    assert_kept(synced, results[A], "image illisible")


def test_a_non_free_licence_is_refused(synced, replay, client_):
    # Every licence refused or accepted: test_etiquette.test_licences.
    put_file(replay, "Bergerac centre.jpg", jpeg((9, 9, 9)), licence="CC BY-NC-SA 4.0")
    results = run(client_)
    assert_kept(synced, results[A], "licence")
    assert_others_went_on(results)


def test_a_file_flagged_non_free_is_refused(synced, replay, client_):
    extmetadata = replay.pages["File:Bergerac centre.jpg"]["imageinfo"][0]["extmetadata"]
    extmetadata["NonFree"] = {"value": "true"}
    results = run(client_)
    assert_kept(synced, results[A], "licence non libre")


def test_a_file_deleted_on_commons_keeps_the_local_copy_flagged(synced, replay, client_):
    del replay.pages["File:Bergerac centre.jpg"]
    results = run(client_)
    assert_kept(synced, results[A], "supprimé de Commons")
    assert SiteImage.objects.get(pk=synced.pk).commons_deleted
    assert_others_went_on(results)


def test_an_unexpected_answer_fails_that_commune_only(synced, replay, client_):
    replay.faults["wbgetentities"] = [Reply(200, b"<html>oops</html>")]
    results = run(client_)
    assert_kept(synced, results[A], "autre chose que du JSON")
    assert_others_went_on(results)
