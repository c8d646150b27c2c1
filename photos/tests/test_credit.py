"""Credit wherever a commune's photo is shown: under the home photo, in the JSON-LD, and in
the image's admin page with its provenance."""

import io
import json
import re

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone

from communes.models import Collectivite, SiteImage
from conftest import COMMUNE_A, host_client, member
from sitefactory.services.demo_files import landscape_jpeg

COMMONS_PAGE = "https://commons.wikimedia.org/wiki/File:Bergerac_quais.jpg"


def commons_image(collectivite, **fields):
    values = {
        "title": "Bergerac, les quais",
        "description": "Les quais de la Dordogne à Bergerac",
        "credit": "Jean Dupont",
        "credit_url": "https://commons.wikimedia.org/wiki/User:Jdupont",
        "licence": "CC BY-SA 4.0",
        "licence_url": "https://creativecommons.org/licenses/by-sa/4.0",
        "source_url": COMMONS_PAGE,
        "origin": "commons",
        "commons_file": "Bergerac_quais.jpg",
        "commons_sha1": "a" * 40,
        "commons_synced_at": timezone.now(),
    }
    values.update(fields)
    return SiteImage.objects.create(
        collection_id=collectivite.collection_id,
        file=ImageFile(io.BytesIO(landscape_jpeg(1, 64, 48)), name="quais.jpg"),
        **values,
    )


def with_home_photo(collectivite, image):
    home = collectivite.home_page.specific
    home.photo = image
    home.save_revision().publish()
    return home


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_the_home_photo_is_credited_with_links_and_described_in_jsonld(
    communes, django_assert_max_num_queries
):
    a = communes[COMMUNE_A]
    with_home_photo(a, commons_image(a))
    client = host_client(a.hostname)
    html = client.get("/").content.decode()
    caption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert "Photo :" in caption
    assert '<a href="https://commons.wikimedia.org/wiki/User:Jdupont">Jean Dupont</a>' in caption
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0" rel="license">CC BY-SA 4.0' in (
        caption
    )
    assert f'<a href="{COMMONS_PAGE}" hreflang="en">Wikimedia Commons</a>' in caption
    assert "démonstration" not in caption
    (image,) = [data for data in jsonld(html) if data["@type"] == "ImageObject"]
    assert image["license"] == "https://creativecommons.org/licenses/by-sa/4.0"
    assert image["acquireLicensePage"] == COMMONS_PAGE
    assert image["author"] == {
        "@type": "Person",
        "name": "Jean Dupont",
        "url": "https://commons.wikimedia.org/wiki/User:Jdupont",
    }
    assert image["creditText"] == "Jean Dupont, CC BY-SA 4.0, via Wikimedia Commons"
    assert image["contentUrl"].startswith(f"http://{a.hostname}/")
    assert image["description"] == "Les quais de la Dordogne à Bergerac"
    # The credit costs no query: the home page stays within its budget once warm.
    client.get("/")
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


def test_public_domain_and_demo_stand_ins_say_so(communes):
    a = communes[COMMUNE_A]
    image = commons_image(
        a, credit="", credit_url="", licence="", licence_url="", attribution_required=False
    )
    with_home_photo(a, image)
    caption = re.search(
        r"<figcaption>(.*?)</figcaption>", host_client(a.hostname).get("/").content.decode(), re.S
    ).group(1)
    assert "domaine public (sans obligation d'attribution)" in caption
    image.demo_stand_in = True
    image.save()
    caption = re.search(
        r"<figcaption>(.*?)</figcaption>", host_client(a.hostname).get("/").content.decode(), re.S
    ).group(1)
    assert "image de démonstration" in caption


def test_an_own_photo_shows_its_typed_credit_and_none_when_empty(communes):
    a = communes[COMMUNE_A]
    image = commons_image(
        a,
        origin="own",
        credit="Mairie de Bergerac",
        credit_url="",
        licence="",
        licence_url="",
        source_url="",
    )
    assert image.credit_parts()["commons"] is False
    assert image.credit_text() == "Mairie de Bergerac"
    bare = commons_image(
        a, origin="own", credit="", credit_url="", licence="", licence_url="", source_url=""
    )
    assert bare.credit_parts() is None
    with_home_photo(a, bare)
    assert "<figcaption>" not in host_client(a.hostname).get("/").content.decode()


@pytest.fixture
def staff_client(pays):
    client = host_client("pays.test")
    client.force_login(member("equipe-photos", pays, "equipe"))
    return client


def test_the_admin_shows_provenance_and_marks_commons_photos(communes, staff_client):
    a = communes[COMMUNE_A]
    image = commons_image(a, commons_deleted=True, demo_stand_in=True)
    page = staff_client.get(reverse("wagtailimages:edit", args=[image.pk])).content.decode()
    assert "Provenance" in page
    assert "a" * 40 in page
    assert f'href="{COMMONS_PAGE}"' in page
    assert "supprimé de Wikimedia Commons" in page
    assert "Image de démonstration" in page
    assert "Texte alternatif" in page
    listing = staff_client.get(reverse("wagtailimages:index")).content.decode()
    assert "Commons" in listing
    own = commons_image(Collectivite.objects.get(code=COMMUNE_A), origin="own")
    page = staff_client.get(reverse("wagtailimages:edit", args=[own.pk])).content.decode()
    assert "Photo de la collectivité".lower() in page.lower()
