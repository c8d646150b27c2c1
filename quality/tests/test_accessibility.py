"""Images shown without a text alternative and PDFs without text, as a run reports them."""

from django.urls import reverse

from quality.models import CheckedDocument, LinkIssue
from quality.services import links
from quality.services.documents import read_pdf
from quality.tests.conftest import add_page, document, image, scanned_pdf, site_of, text_pdf

NO_ALT = LinkIssue.Kind.IMAGE_WITHOUT_ALT
INACCESSIBLE = LinkIssue.Kind.INACCESSIBLE_DOCUMENT


def admin(name, pk):
    return "http://pays.test" + reverse(name, args=[pk])


def issues(site, kind):
    return {(i.url, i.label, i.detail) for i in LinkIssue.objects.filter(site=site, kind=kind)}


def test_an_image_without_alternative_is_reported_once_with_its_edit_page(bergerac):
    bare = image(bergerac, "IMG_2041.jpg")
    named = image(bergerac, "Lavoir", description="Le lavoir restauré")
    filename = image(bergerac, "Fontaine", description="DSC_0042.JPG")
    ornament = image(bergerac, "Frise", decorative=True)
    body = [
        {"type": "image", "value": {"image": pk, "caption": ""}}
        for pk in (bare.pk, named.pk, filename.pk, ornament.pk)
    ]
    first = add_page(bergerac, "galerie", body=body)
    add_page(bergerac, "encore", body=body[:1])
    site = site_of(bergerac)

    links.check_site(site, external=False)

    assert issues(site, NO_ALT) == {
        (admin("wagtailimages:edit", bare.pk), "IMG_2041.jpg", "texte alternatif vide"),
        (admin("wagtailimages:edit", filename.pk), "Fontaine", "« DSC_0042.JPG »"),
    }
    shown = LinkIssue.objects.get(site=site, kind=NO_ALT, label="IMG_2041.jpg")
    assert shown.page_id == first.pk


def test_the_alternative_written_in_rich_text_counts(bergerac):
    described = image(bergerac, "Église", description="L'église")
    add_page(
        bergerac,
        "texte",
        intro=(f'<embed embedtype="image" id="{described.pk}" alt="" format="left"/><p>Texte.</p>'),
    )
    site = site_of(bergerac)
    links.check_site(site, external=False)
    assert {label for _url, label, _d in issues(site, NO_ALT)} == {"Église"}


def test_a_scanned_pdf_is_reported_and_a_pdf_with_text_is_not(bergerac):
    scan = document(bergerac, "Arrêté scanné", scanned_pdf(), "arrete.pdf")
    document(bergerac, "Procès-verbal", text_pdf(), "pv.pdf")
    broken = document(bergerac, "PDF abîmé", b"%PDF-1.4\nnot really a pdf", "abime.pdf")
    site = site_of(bergerac)

    links.check_site(site, external=False)

    found = issues(site, INACCESSIBLE)
    assert {(label, detail) for _url, label, detail in found} == {
        ("Arrêté scanné", "PDF sans texte (document numérisé ?)"),
        ("PDF abîmé", "PDF illisible"),
    }
    assert (admin("wagtaildocs:edit", scan.pk), "Arrêté scanné") in {
        (url, label) for url, label, _d in found
    }
    assert broken.pk  # reported, never raised


def test_a_document_is_read_once_then_its_verdict_is_kept_by_its_hash(bergerac, monkeypatch):
    document(bergerac, "Arrêté scanné", scanned_pdf(), "arrete.pdf")
    site = site_of(bergerac)
    links.check_site(site, external=False)
    verdicts = CheckedDocument.objects.count()

    def no_second_reading(doc):
        raise AssertionError("read again")

    monkeypatch.setattr("quality.services.documents.read_pdf", no_second_reading)
    links.check_site(site, external=False)
    assert CheckedDocument.objects.count() == verdicts
    assert len(issues(site, INACCESSIBLE)) == 1


def test_an_encrypted_pdf_is_unreadable_not_a_crash(bergerac):
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    locked = document(bergerac, "Chiffré", buffer.getvalue(), "chiffre.pdf")
    assert read_pdf(locked) == (None, "PDF illisible : chiffré")
