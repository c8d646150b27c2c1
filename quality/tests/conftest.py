"""Pages, images and documents on the shared communes' sites, for the checker's tests."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.models import Page, Site

from communes.models import SiteDocument, SiteImage, StandardPage
from conftest import COMMUNE_A, COMMUNE_B
from sitefactory.services.demo_files import landscape_jpeg, minimal_pdf


@pytest.fixture
def bergerac(communes):
    return communes[COMMUNE_A]


@pytest.fixture
def lalinde(communes):
    return communes[COMMUNE_B]


def site_of(collectivite):
    return Site.objects.select_related("root_page").get(pk=collectivite.site_id)


def add_page(collectivite, slug, **fields):
    home = Page.objects.get(pk=collectivite.home_page_id)
    page = StandardPage(title=fields.pop("title", slug), slug=slug, **fields)
    home.add_child(instance=page)
    return page


def image(collectivite, title, description="", decorative=False):
    picture = SiteImage(
        title=title,
        file=ImageFile(io.BytesIO(landscape_jpeg(3, 60, 40)), name=f"{title}.jpg"),
        collection_id=collectivite.collection_id,
        description=description,
        is_decorative=decorative,
    )
    picture.save()
    return picture


def document(collectivite, title, content: bytes, name="doc.pdf"):
    doc = SiteDocument(title=title, collection_id=collectivite.collection_id)
    doc.file.save(name, ContentFile(content), save=False)
    doc.save()
    return doc


def text_pdf():
    return minimal_pdf(["Compte rendu du conseil municipal, deliberations de la seance."])


def scanned_pdf():
    buffer = io.BytesIO()
    PILImage.new("RGB", (200, 280), "white").save(buffer, "PDF")
    return buffer.getvalue()
