"""What the APIs are sent, and how Commons' metadata becomes a credit and an alt text."""

from io import StringIO

import pytest
from django.core.management import call_command

from communes.models import Collectivite, SiteImage
from photos.models import CommunePhotoStatus
from photos.replay import Recorded
from photos.services import metadata, sync
from photos.services.client import FetchError


def test_every_api_call_is_polite(replay, client_, settings):
    settings.PHOTOS_CONTACT = "photos@pays.example"
    sync.sync(sync.communes(), client=client_)
    (agent,) = replay.agents
    assert "photos@pays.example" in agent and agent.startswith("BastidePhotos/")
    api_calls = [params for route, params in replay.hits if route != "file"]
    assert api_calls and all(p["maxlag"] == "5" for p in api_calls)
    assert {p["srsearch"] for p in api_calls if "srsearch" in p} == {
        "haswbstatement:P374=24037",
        "haswbstatement:P374=24167",
        "haswbstatement:P374=24223",
    }
    info = next(p for p in api_calls if p.get("prop") == "imageinfo")
    assert info["iiprop"] == "url|sha1|size|mime|extmetadata"
    assert info["iiurlwidth"] == str(settings.PHOTOS_RENDITION_WIDTH)
    assert next(p for p in api_calls if p.get("action") == "wbgetentities")["props"] == "claims"


def test_a_known_wikidata_id_spares_the_search(replay, client_):
    Collectivite.objects.filter(code="24037").update(wikidata_id="Q824037")
    sync.sync(sync.communes(["24037"]), client=client_)
    assert "search" not in {route for route, _params in replay.hits}


def test_only_http_addresses_are_fetched(client_):
    with pytest.raises(FetchError, match="adresse refusée"):
        client_.download("file:///etc/passwd")


def test_shorten_cuts_on_a_word():
    text = "mot " * 60
    short = metadata.shorten(text)
    assert len(short) <= 150 and short.endswith("mot…")
    assert metadata.shorten("Court.") == "Court."


@pytest.mark.parametrize(
    ("licence", "code", "free", "attribution"),
    [
        ("CC BY-SA 4.0", "cc-by-sa-4.0", True, True),
        ("CC BY 2.0", "cc-by-2.0", True, True),
        ("CC0", "cc0", True, False),
        ("Public domain", "pd", True, False),
        ("CC BY-NC 2.0", "", False, None),
        ("CC BY-ND 3.0", "", False, None),
        ("GFDL", "gfdl", False, None),
        ("", "", False, None),
    ],
)
def test_licences(licence, code, free, attribution):
    info = {
        "descriptionurl": "https://commons.wikimedia.org/wiki/File:X.jpg",
        "extmetadata": {
            "LicenseShortName": {"value": licence},
            "License": {"value": code},
            "Artist": {"value": '<a href="/wiki/User:Ana">Ana</a> &amp; co'},
        },
    }
    if not free:
        with pytest.raises(FetchError, match="licence"):
            metadata.provenance(info)
        return
    source = metadata.provenance(info)
    assert source.attribution_required is attribution
    assert source.credit == "Ana & co"
    assert source.credit_url == "https://commons.wikimedia.org/wiki/User:Ana"


def test_the_demo_seed_is_honest_and_idempotent(communes):
    call_command("seed_commune_photos", stdout=StringIO())
    images = SiteImage.objects.filter(origin="commons")
    assert images.count() == 3
    for image in images:
        assert image.demo_stand_in
        assert image.credit == "Image de démonstration (Bastide)"
        assert image.licence == "CC0" and not image.attribution_required
    assert set(CommunePhotoStatus.objects.values_list("outcome", flat=True)) == {"created"}
    out = StringIO()
    call_command("seed_commune_photos", stdout=out)
    assert "inchangée 3" in out.getvalue()
    assert SiteImage.objects.filter(origin="commons").count() == 3


def test_the_demo_covers_every_commune_of_the_registry():
    recorded = Recorded.demo()
    import json

    from photos.replay import DEMO_DIR

    registry = DEMO_DIR.parent.parent / "communes" / "data" / "pays-grand-bergeracois.json"
    codes = {c["code_insee"] for c in json.loads(registry.read_text())["communes"]}
    assert set(recorded.searches) == codes
    kinds = [set(e["claims"]) - {"P374"} for e in recorded.entities.values()]
    assert sum(1 for k in kinds if not k) == 2  # missing
    assert sum(1 for k in kinds if k == {"P94"}) == 1  # arms only
    for page in recorded.pages.values():
        extmetadata = page["imageinfo"][0]["extmetadata"]
        assert extmetadata["Artist"]["value"] == "Image de démonstration (Bastide)"
        assert extmetadata["LicenseShortName"]["value"] == "CC0"
