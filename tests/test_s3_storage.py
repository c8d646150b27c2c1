"""Media in an S3-compatible bucket (docs/scaling.md#media-on-object-storage), against a real
S3 API over HTTP: moto's server, started on 127.0.0.1 for the session. Images and renditions
are public objects fetched by their URL; documents are private objects that only Django serves,
after its permission checks."""

import io
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from communes.models import BulletinIndexPage, BulletinPage, SiteDocument, SiteImage
from config.settings.storage import s3_media_storages
from conftest import COMMUNE_A, host_client, member
from sitefactory.services.demo_files import landscape_jpeg, minimal_pdf

PDF = minimal_pdf(["Délibération à huis clos : la girouette du clocher"])


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server in a subprocess, on a free port, stopped at the end of the session."""
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"no S3 server to test against (moto[s3], flask: `make install`): {exc}")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        pytest.fail(f"moto's S3 server did not start:\n{log.read().decode()}")
                    time.sleep(0.1)
            yield endpoint
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture(scope="session")
def bucket_environ(s3_endpoint):
    import boto3

    environ = {
        "AWS_STORAGE_BUCKET_NAME": f"bastide-media-{uuid.uuid4().hex[:8]}",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "bastide-test",
        "AWS_SECRET_ACCESS_KEY": "bastide-test-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
    }
    boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environ["AWS_SECRET_ACCESS_KEY"],
        region_name=environ["AWS_S3_REGION_NAME"],
    ).create_bucket(Bucket=environ["AWS_STORAGE_BUCKET_NAME"])
    return environ


@pytest.fixture
def s3_media(settings, bucket_environ):
    """The settings config/settings/storage.py writes for that bucket."""
    storages, media_url = s3_media_storages(bucket_environ)
    settings.STORAGES = settings.STORAGES | storages
    settings.MEDIA_URL = media_url
    return media_url


def fetch(url):
    """GET `url` as a browser would, without credentials: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def streamed(response):
    return b"".join(response.streaming_content)


def test_an_image_and_its_rendition_are_public_objects_fetched_by_their_url(s3_media, communes):
    commune = communes[COMMUNE_A]
    image = SiteImage(
        title="Le clocher",
        description="Le clocher de l'église",
        collection_id=commune.collection_id,
        file=ImageFile(io.BytesIO(landscape_jpeg(3, 400, 300)), name="clocher.jpg"),
    )
    image.save()
    assert image.file.name.startswith("original_images/")

    rendition = image.get_rendition("fill-120x80")

    # A plain URL, without a signature that would expire in baked pages and caches.
    assert rendition.url.startswith(f"{s3_media}images/") and "?" not in rendition.url
    status, body = fetch(rendition.url)
    assert status == 200
    with Image.open(io.BytesIO(body)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (120, 80))
    status, body = fetch(image.file.url)
    assert status == 200 and body[:3] == b"\xff\xd8\xff"
    # Asked again, the rendition comes from the database, at the same URL.
    assert SiteImage.objects.get(pk=image.pk).get_rendition("fill-120x80").url == rendition.url


def test_two_uploads_of_the_same_name_are_two_objects(s3_media, communes):
    commune = communes[COMMUNE_A]
    images = []
    for seed in (1, 2):
        image = SiteImage(
            title=f"Vue {seed}",
            description="Vue du bourg",
            collection_id=commune.collection_id,
            file=ImageFile(io.BytesIO(landscape_jpeg(seed, 60, 40)), name="vue.jpg"),
        )
        image.save()
        images.append(image)
    first, second = images
    assert first.file.name != second.file.name
    assert fetch(first.file.url)[1] != fetch(second.file.url)[1]


@pytest.fixture
def bulletins(communes):
    commune = communes[COMMUNE_A]
    return commune, BulletinIndexPage.objects.descendant_of(commune.home_page).get()


def document(collection_id, title="Délibération"):
    doc = SiteDocument(title=title, collection_id=collection_id)
    doc.file.save("deliberation.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def on_restricted_page(index, doc):
    page = index.add_child(instance=BulletinPage(title="Huis clos", slug="huis-clos", document=doc))
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def in_private_collection(commune):
    collection = Collection.objects.get(pk=commune.collection_id).add_child(name="Conseil")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return document(collection.pk)


@pytest.mark.parametrize("restricted_by", ["page", "collection"])
def test_a_restricted_document_is_served_by_django_to_those_allowed_and_never_by_s3(
    s3_media, bulletins, restricted_by
):
    commune, index = bulletins
    if restricted_by == "page":
        doc = document(commune.collection_id)
        on_restricted_page(index, doc)
    else:
        doc = in_private_collection(commune)
    key = f"{s3_media}{doc.file.name}"
    assert doc.file.name.startswith("documents/")

    client = host_client(commune.hostname)
    response = client.get(doc.url)
    assert response.status_code == 302 and "next=" in response["Location"]
    # Neither its storage URL nor the object's plain URL: the object is private.
    assert doc.file.url == key
    status, body = fetch(key)
    assert status == 403 and PDF not in body

    client.force_login(get_user_model().objects.create_user("habitant", password="x"))
    response = client.get(doc.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert streamed(response) == PDF
    assert response["Content-Security-Policy"] == "default-src 'none'"

    editor = host_client(commune.hostname)
    editor.force_login(member("secretaire", commune, "secretariat"))
    assert streamed(editor.get(doc.url)) == PDF


def test_a_public_document_is_also_a_private_object_served_by_django(s3_media, bulletins):
    commune, _ = bulletins
    doc = document(commune.collection_id, "Compte rendu")
    response = host_client(commune.hostname).get(doc.url)
    assert response.status_code == 200 and streamed(response) == PDF
    assert fetch(f"{s3_media}{doc.file.name}")[0] == 403


def test_a_photo_submission_is_a_private_object(s3_media):
    from django.core.files.storage import storages

    submissions = storages["photo_submissions"]
    name = submissions.save("2026/12/photo.jpg", ContentFile(landscape_jpeg(4, 60, 40)))
    assert fetch(f"{s3_media}photo-submissions/{name}")[0] == 403
    with submissions.open(name) as stored:
        assert stored.read(3) == b"\xff\xd8\xff"


def test_without_a_bucket_media_stay_on_disk_and_a_bucket_needs_its_endpoint():
    assert s3_media_storages({}) is None
    assert s3_media_storages({"AWS_STORAGE_BUCKET_NAME": " "}) is None
    with pytest.raises(ImproperlyConfigured, match="AWS_S3_ENDPOINT_URL"):
        s3_media_storages({"AWS_STORAGE_BUCKET_NAME": "medias"})
    _, media_url = s3_media_storages(
        {
            "AWS_STORAGE_BUCKET_NAME": "medias",
            "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
            "AWS_S3_CUSTOM_DOMAIN": "medias.pays.example",
            "AWS_LOCATION": "bastide",
        }
    )
    assert media_url == "https://medias.pays.example/bastide/"


def test_pages_may_show_the_bucket_s_images_and_readiness_checks_the_bucket(s3_media, communes):
    commune = communes[COMMUNE_A]
    response = host_client(commune.hostname).get("/")
    assert response.status_code == 200
    img_src = next(
        directive
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip().startswith("img-src")
    )
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(s3_media))
    assert origin in img_src.split()

    # The probe's round trip to the bucket (health/probes.py), asked by the address as a
    # load balancer asks.
    media = Client(HTTP_HOST="10.0.0.5:8000").get("/readyz").json()["checks"]["media"]
    assert media["status"] == "ok"
