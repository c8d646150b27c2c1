"""The « appel à photos »: residents' photos checked by their bytes and held for moderation,
moderated and exported for Commons by the Pays team alone, erased on time."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from photos.campaign.retention import purge_submissions
from photos.models import PhotoCallPage, PhotoSubmission
from sitefactory.services.demo_files import landscape_jpeg


@pytest.fixture
def call_page(communes, pays):
    page = pays.home_page.specific.add_child(
        instance=PhotoCallPage(title="Appel à photos", slug="appel-a-photos")
    )
    page.save_revision().publish()
    return page


def jpeg(name="eglise.jpg"):
    return SimpleUploadedFile(name, landscape_jpeg(1, 80, 60), content_type="image/jpeg")


def answers(**overrides):
    data = {
        "commune": COMMUNE_B,
        "title": "L'église de Lalinde",
        "description": "L'église Saint-Pierre-ès-Liens vue du pont | {{bad}}",
        "taken_on": "2025-07-14",
        "author_name": "Marie Curie",
        "email": "marie@example.org",
        "licence": "cc-by-sa-4.0",
        "is_author": "on",
        "consentement": "on",
        "site_web": "",
    }
    data.update(overrides)
    return data


def post(pays, data, photo, address="198.51.100.7"):
    client = host_client(pays.hostname, REMOTE_ADDR=address)
    return client.post("/appel-a-photos/", {**data, "photo": photo})


def test_the_form_is_shown_with_its_choices_and_a_csrf_token(call_page, pays):
    html = host_client(pays.hostname).get("/appel-a-photos/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert f'<option value="{COMMUNE_B}">Lalinde</option>' in html
    assert "CC BY-SA 4.0" in html and "CC0" in html
    assert "Je suis l&#x27;auteur de cette photo" in html


def test_a_good_photo_is_held_pending_in_private_storage(call_page, pays):
    response = post(pays, answers(), jpeg())
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "Merci pour votre photo" in response.content.decode()
    submission = PhotoSubmission.objects.get()
    assert submission.status == PhotoSubmission.Status.PENDING
    assert submission.collectivite.code == COMMUNE_B
    assert (submission.width, submission.height) == (80, 60)
    assert "eglise" not in submission.file.name  # a random name
    # The field's own storage: a test that overrides STORAGES gives `storages` new
    # instances, while the field keeps the one it was built with.
    assert submission.file.storage.exists(submission.file.name)
    from django.core.files.storage import default_storage

    assert submission.file.storage is not default_storage._wrapped


@pytest.mark.parametrize(
    "photo, message",
    [
        (
            SimpleUploadedFile("faux.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"),
            "Ce fichier n&#x27;est pas une photo JPEG ou PNG lisible.",
        ),
        ("gif", "Seules les photos au format JPEG ou PNG sont acceptées"),
        ("big", "La photo est trop lourde"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(call_page, pays, settings, photo, message):
    if photo == "gif":
        buffer = io.BytesIO()
        PILImage.new("RGB", (10, 10)).save(buffer, "GIF")
        photo = SimpleUploadedFile("anim.jpg", buffer.getvalue(), content_type="image/jpeg")
    elif photo == "big":
        settings.PHOTO_SUBMISSION_MAX_BYTES = 100
        photo = jpeg()
    response = post(pays, answers(), photo)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PhotoSubmission.objects.exists()


def test_the_licence_and_the_authors_word_are_required_and_robots_keep_nothing(call_page, pays):
    response = post(pays, answers(licence="", is_author=""), jpeg())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez la licence sous laquelle vous donnez la photo." in html
    assert "Seul l&#x27;auteur de la photo peut la proposer" in html
    assert post(pays, answers(site_web="http://spam"), jpeg()).status_code == 200
    assert not PhotoSubmission.objects.exists()


@pytest.fixture
def submissions(call_page, pays):
    post(pays, answers(), jpeg())
    post(pays, answers(commune=COMMUNE_A, title="=cmd", licence="cc0"), jpeg("b.jpg"))
    return list(PhotoSubmission.objects.order_by("pk"))


def test_the_pays_team_moderates_and_exports_the_accepted_for_commons(submissions, pays):
    staff = host_client("pays.test")
    staff.force_login(member("equipe-photos", pays, "equipe"))
    first, second = submissions
    assert (
        "L&#x27;église de Lalinde"
        in staff.get(reverse("photos-submissions:index")).content.decode()
    )
    inspect = staff.get(reverse("photos-submissions:inspect", args=[first.pk])).content.decode()
    assert reverse("photos_submission_image", args=[first.pk]) in inspect
    image = staff.get(reverse("photos_submission_image", args=[first.pk]))
    assert image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")
    for submission, status in ((first, "accepted"), (second, "accepted")):
        response = staff.post(
            reverse("photos-submissions:edit", args=[submission.pk]), {"status": status}
        )
        assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "accepted" and first.decided_at is not None
    response = staff.get(reverse("photos_commons_batch"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    files = [name for name in names if name.startswith("files/")]
    assert len(files) == 2 and all(name.endswith(".jpg") for name in files)
    lalinde = next(name for name in names if name.startswith("wikitext/Lalinde"))
    text = archive.read(lalinde).decode()
    assert "{{Information" in text and "|source={{own}}" in text
    assert "|author=<nowiki>Marie Curie</nowiki>" in text
    assert "|date=2025-07-14" in text
    assert "<nowiki>L'église Saint-Pierre-ès-Liens vue du pont | {{bad}}</nowiki>" in text
    assert "{{self|cc-by-sa-4.0}}" in text
    bergerac = next(name for name in names if name.startswith("wikitext/Bergerac"))
    assert "{{self|cc-zero}}" in archive.read(bergerac).decode()
    table = archive.read("descriptions.csv").decode()
    assert "'=cmd" in table and "marie@example.org" not in table


def test_a_secretary_cannot_see_the_submissions(submissions, communes):
    secretary = host_client("pays.test")
    secretary.force_login(member("sec-photos", communes[COMMUNE_B], "secretariat"))
    first = submissions[0]
    for url in (
        reverse("photos-submissions:index"),
        reverse("photos-submissions:inspect", args=[first.pk]),
        reverse("photos-submissions:edit", args=[first.pk]),
        reverse("photos_submission_image", args=[first.pk]),
        reverse("photos_commons_batch"),
    ):
        response = secretary.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b"marie@example.org" not in response.content


def test_retention_erases_refused_and_old_photos_and_the_page_says_so(submissions, pays):
    first, second = submissions
    first.status = "refused"
    first.save()
    assert purge_submissions() == 0
    PhotoSubmission.objects.filter(pk=first.pk).update(
        decided_at=timezone.now() - timedelta(days=91)
    )
    assert purge_submissions(dry_run=True) == 1
    assert purge_submissions() == 1
    assert list(PhotoSubmission.objects.all()) == [second]
    html = host_client(pays.hostname).get("/donnees-personnelles/").content.decode()
    assert "Appel à photos" in html and "90 jours" in html
