"""A document used only on restricted pages is served only to visitors who may see one of
them (communes/services/document_access.py), and search does not list it to others."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.models import PageViewRestriction

from communes.models import BulletinIndexPage, BulletinPage, SiteDocument
from conftest import COMMUNE_A, COMMUNE_B, host_client, member
from sitefactory.services.demo_files import minimal_pdf

PDF = minimal_pdf(["Procès-verbal de la séance à huis clos : girouette"])


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    # Wagtail serves a document from its path on disk: the tests' in-memory storage has none.
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }


@pytest.fixture
def site(communes):
    commune = communes[COMMUNE_A]
    index = BulletinIndexPage.objects.descendant_of(commune.home_page).get()
    return commune, index


def document(commune, title="Procès-verbal"):
    doc = SiteDocument(title=title, collection_id=commune.collection_id)
    doc.file.save("proces-verbal.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def bulletin(index, slug, doc=None):
    page = index.add_child(instance=BulletinPage(title=slug.title(), slug=slug, document=doc))
    page.save_revision().publish()
    return page


def restrict(page, kind, **fields):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, **fields)
    return restriction


def get(client, doc):
    return client.get(doc.url)


def served(response):
    return response.status_code == 200 and response.get("Content-Type") == "application/pdf"


def test_a_document_used_only_on_a_login_restricted_page_is_not_served_to_anonymous(site):
    commune, index = site
    doc = document(commune)
    restrict(bulletin(index, "huis-clos", doc), PageViewRestriction.LOGIN)
    anonymous = host_client(commune.hostname)

    response = get(anonymous, doc)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"] and "next=" in response["Location"]
    assert "no-cache" in response["Cache-Control"]

    visitor = get_user_model().objects.create_user("habitant", password="x")  # noqa: S106
    anonymous.force_login(visitor)
    assert served(get(anonymous, doc))


def test_a_document_in_a_private_section_follows_the_section(site):
    commune, index = site
    doc = document(commune)
    bulletin(index, "huis-clos", doc)
    restrict(index, PageViewRestriction.LOGIN)
    assert get(host_client(commune.hostname), doc).status_code == 302


def test_a_document_also_used_on_a_public_page_or_used_nowhere_stays_public(site):
    commune, index = site
    shared, unused = document(commune), document(commune, "Inutilisé")
    restrict(bulletin(index, "huis-clos", shared), PageViewRestriction.LOGIN)
    bulletin(index, "public", shared)
    anonymous = host_client(commune.hostname)
    assert served(get(anonymous, shared))
    assert served(get(anonymous, unused))


def test_a_password_restriction_asks_the_pages_password_then_serves_the_document(site):
    commune, index = site
    doc = document(commune)
    restriction = restrict(
        bulletin(index, "huis-clos", doc), PageViewRestriction.PASSWORD, password="bastide"
    )
    anonymous = host_client(commune.hostname)
    response = get(anonymous, doc)
    assert response.status_code == 200 and not served(response)
    assert 'name="password"' in response.content.decode()

    response = anonymous.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{restriction.page_id}/",
        {"password": "bastide", "return_url": doc.url},
    )
    assert response.status_code == 302 and response["Location"] == doc.url
    assert served(get(anonymous, doc))


def test_a_groups_restriction_serves_the_members_of_the_groups_only(site, communes):
    commune, index = site
    doc = document(commune)
    council = Group.objects.create(name="Conseil municipal")
    restriction = restrict(bulletin(index, "huis-clos", doc), PageViewRestriction.GROUPS)
    restriction.groups.add(council)
    client = host_client(commune.hostname)
    outsider = get_user_model().objects.create_user("habitant", password="x")  # noqa: S106
    client.force_login(outsider)
    assert get(client, doc).status_code == 302
    outsider.groups.add(council)
    assert served(get(client, doc))


def test_the_communes_editors_still_open_it_from_the_admin(site, communes):
    commune, index = site
    doc = document(commune)
    restrict(bulletin(index, "huis-clos", doc), PageViewRestriction.LOGIN)
    secretary = member("secretaire", commune, "secretariat")
    other = member("autre", communes[COMMUNE_B], "secretariat")
    client = host_client(commune.hostname)
    client.force_login(secretary)
    assert served(get(client, doc))
    # Logged in, another commune's secretary passes a "login" restriction like any visitor.
    client.force_login(other)
    assert served(get(client, doc))
