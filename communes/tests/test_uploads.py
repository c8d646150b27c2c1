"""What a secretary may upload as an image or a document: hostile files get a form error,
on every upload path of the admin, and nothing is stored."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupCollectionPermission

from communes.models import SiteDocument, SiteImage
from communes.uploads import document_content_error
from conftest import COMMUNE_A, host_client, member
from search.tests.test_documents import archive, docx, opendocument
from sitefactory.services.demo_files import minimal_pdf

# -- Files ------------------------------------------------------------------------------------


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, rows=4):
    """A black-and-white PNG declaring `width`×`height` pixels, with only its first rows of
    data: a few hundred bytes, whatever it declares."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\0" * (1 + (width + 7) // 8)
    data = zlib.compress(row * min(rows, height), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


BOMB_PNG = png(30000, 30000)  # 900 million pixels: Pillow itself refuses to open it
BIG_PNG = png(8000, 6000)  # 48 million: above our 40 million, below Pillow's limit
FAKE_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PDF = minimal_pdf(["Compte rendu du conseil municipal"])


def xlsx():
    return archive({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


def ods():
    return archive(
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}
    )


def upload(name, data):
    return SimpleUploadedFile(name, data)


# -- The admin ----------------------------------------------------------------------------------


@pytest.fixture
def secretary(communes, pays):
    user = member("secretaire", communes[COMMUNE_A], "secretariat")
    client = host_client(pays.hostname)
    client.force_login(user)
    collection = (
        GroupCollectionPermission.objects.filter(
            group__user=user, permission__codename="add_document"
        )
        .first()
        .collection
    )
    return client, collection


def image_post(collection, data, name="plan.png"):
    return {
        "title": "Plan",
        "file": upload(name, data),
        "collection": collection.pk,
        "description": "Plan du bourg",
    }


def document_post(collection, data, name):
    return {"title": "Document", "file": upload(name, data), "collection": collection.pk}


def errors_of(response):
    """The form's errors for a page, the JSON error for the multiple uploader and choosers."""
    assert response.status_code == 200, response.status_code
    if response["Content-Type"].startswith("application/json"):
        payload = response.json()
        if "error_message" in payload:
            assert payload["success"] is False
            return payload["error_message"]
        return payload["htmlFragment"]
    return response.content.decode()


def post_everywhere(client, app, fields, name, data, existing):
    """POST the file on the add form, the multiple uploader, the chooser's upload and as the
    replacement of `existing`; yield each path's name and response."""
    yield "add", client.post(reverse(f"{app}:add"), fields(data, name))
    yield (
        "add_multiple",
        client.post(
            reverse(f"{app}:add_multiple"),
            {"files[]": upload(name, data), "collection": fields(data, name)["collection"]},
        ),
    )
    prefix = {"wagtailimages": "image", "wagtaildocs": "document"}[app] + "-chooser-upload"
    yield (
        "chooser",
        client.post(
            reverse(f"{app}_chooser:create"),
            {f"{prefix}-{key}": value for key, value in fields(data, name).items()},
        ),
    )
    yield "edit", client.post(reverse(f"{app}:edit", args=[existing.pk]), fields(data, name))


@pytest.mark.parametrize(
    ("data", "message"),
    [(BOMB_PNG, "trop grand nombre de pixels"), (BIG_PNG, "trop grand nombre de pixels")],
    ids=["30000x30000", "8000x6000"],
)
def test_an_image_with_too_many_pixels_is_a_form_error_on_every_upload_path(
    secretary, data, message
):
    client, collection = secretary
    existing = SiteImage.objects.create(
        title="Existante",
        file=ContentFile(png(10, 10), name="existante.png"),
        collection=collection,
        is_decorative=True,
    )
    original = existing.file.name

    def fields(data, name):
        return image_post(collection, data, name)

    for path, response in post_everywhere(
        client, "wagtailimages", fields, "plan.png", data, existing
    ):
        assert message in errors_of(response), path

    assert list(SiteImage.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.file.name == original


def test_an_image_within_the_limits_is_accepted(secretary):
    client, collection = secretary
    response = client.post(reverse("wagtailimages:add"), image_post(collection, png(800, 600)))
    assert response.status_code == 302
    assert SiteImage.objects.get().height == 600


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("programme.pdf", FAKE_EXE, "programme"),
        ("note.docx", PDF, "pas un document DOCX"),
        ("gros.pdf", PDF + b"%" + b"0" * (21 * 1024 * 1024), "20"),
    ],
    ids=["exe-as-pdf", "pdf-as-docx", "21-mb"],
)
def test_a_hostile_document_is_a_form_error_on_every_upload_path(secretary, name, data, message):
    client, collection = secretary
    existing = SiteDocument.objects.create(
        title="Existant", file=ContentFile(PDF, name="existant.pdf"), collection=collection
    )
    original = existing.file.name

    def fields(data, name):
        return document_post(collection, data, name)

    for path, response in post_everywhere(client, "wagtaildocs", fields, name, data, existing):
        assert message in errors_of(response), path

    assert list(SiteDocument.objects.all()) == [existing]
    existing.refresh_from_db()
    assert existing.file.name == original


def test_a_real_document_is_accepted_and_can_replace_another(secretary):
    client, collection = secretary
    response = client.post(reverse("wagtaildocs:add"), document_post(collection, PDF, "cr.pdf"))
    assert response.status_code == 302
    document = SiteDocument.objects.get()
    response = client.post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        document_post(collection, docx("<w:p/>"), "cr.docx"),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file_extension == "docx"


# -- The bytes of each kind -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cr.pdf", PDF),
        ("cr.PDF", PDF),
        ("cr.odt", opendocument("<text:p>Bonjour</text:p>")),
        ("budget.ods", ods()),
        ("cr.docx", docx("<w:p/>")),
        ("budget.xlsx", xlsx()),
        ("liste.csv", "nom;rôle\nDupré;maire\n".encode()),
        ("liste.csv", "nom;rôle\nDupré;maire\n".encode("cp1252")),
        ("lisez-moi.txt", b"Horaires de la mairie"),
        ("dossier.zip", archive({"plan.pdf": "x", "notes.txt": "y"})),
    ],
)
def test_documents_whose_bytes_match_their_extension_pass(name, data):
    assert document_content_error(name, io.BytesIO(data)) is None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("programme.pdf", FAKE_EXE),
        ("script.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("page.pdf", b"<html>PDF</html>"),
        ("cr.odt", ods()),  # an ODF of another kind
        ("cr.odt", docx("<w:p/>")),
        ("cr.docx", xlsx()),
        ("cr.xlsx", opendocument("<text:p/>")),
        ("cr.docx", PDF),
        ("cr.docx", b"PK\x03\x04 broken"),
        ("liste.csv", b"nom\x00prenom"),
        ("liste.csv", b"\xff\xfen\x00o\x00m\x00"),  # UTF-16: NUL bytes
        ("dossier.zip", PDF),
        ("dossier.zip", archive({"facture.pdf.exe": "MZ"})),
        ("dossier.zip", archive({"docs/lancer.BAT": "echo"})),
    ],
)
def test_documents_whose_bytes_do_not_match_their_extension_are_refused(name, data):
    assert document_content_error(name, io.BytesIO(data))


def test_an_odf_whose_first_member_is_not_its_mimetype_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("content.xml", "<x/>")
        zipped.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert document_content_error("cr.odt", buffer)
