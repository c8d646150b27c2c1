"""Search does not list a document that only private pages use
(communes/services/document_access.py), and lists it again once the page is public."""

from django.core.files.base import ContentFile
from wagtail.models import PageViewRestriction

from communes.models import BulletinIndexPage, BulletinPage, SiteDocument
from conftest import COMMUNE_A
from search import indexing, services
from sitefactory.services.demo_files import minimal_pdf


def test_search_does_not_list_a_document_that_only_private_pages_use(communes, search_engine):
    commune = communes[COMMUNE_A]
    indexing.reindex()
    doc = SiteDocument(title="Procès-verbal", collection_id=commune.collection_id)
    doc.file.save("pv.pdf", ContentFile(minimal_pdf(["Séance à huis clos : girouette"])), False)
    doc.save()
    index = BulletinIndexPage.objects.descendant_of(commune.home_page).get()
    page = index.add_child(instance=BulletinPage(title="Huis clos", slug="huis-clos", document=doc))
    page.save_revision().publish()
    indexing.index_documents([doc.pk])

    def found():
        return doc.url in [r.url for r in services.search("girouette", site=commune.site).results]

    assert found()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    indexing.update(subtrees=[page.pk])
    assert not found()
    restriction.delete()
    indexing.update(subtrees=[page.pk])
    assert found()
