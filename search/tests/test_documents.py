"""The text of the documents a mairie uploads: what is read, and what is refused."""

import io
import zipfile

from django.core.files.base import ContentFile

from communes.models import SiteDocument
from conftest import COMMUNE_A, COMMUNE_B
from search import documents, indexing, services
from search.documents import extract_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def archive(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, text in parts.items():
            zipped.writestr(name, text)
    return buffer.getvalue()


def docx(body, prologue=""):
    return archive(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?>'
            f'{prologue}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>',
        }
    )


def opendocument(body):
    return archive(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": '<?xml version="1.0" encoding="UTF-8"?>'
            f"<office:document-content {ODF}><office:body>{body}</office:body>"
            "</office:document-content>",
        }
    )


def text_of(name, data):
    document = SiteDocument(title=name)
    document.file.save(name, ContentFile(data), save=False)
    return extract_text(document)


DOCX_BODY = (
    "<w:p><w:r><w:t>Délibé</w:t></w:r><w:r><w:t>ration sur la cantine</w:t></w:r></w:p>"
    "<w:p><w:r><w:t>scolaire</w:t><w:tab/><w:t>adoptée</w:t></w:r>"
    "<w:del><w:r><w:delText>rejetée</w:delText></w:r></w:del>"
    "<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
)

ODT_BODY = (
    "<office:text><text:tracked-changes><text:changed-region><text:deletion>"
    "<text:p>retiré</text:p></text:deletion></text:changed-region></text:tracked-changes>"
    "<text:h>Compte rendu</text:h>"
    "<text:p>Élagage des <text:span>platanes</text:span> de la place"
    "<office:annotation><text:p>note interne</text:p></office:annotation>"
    "<text:s/>du marché</text:p></office:text>"
)

ODS_BODY = (
    "<office:spreadsheet><table:table><table:table-row>"
    "<table:table-cell><text:p>Subvention</text:p></table:table-cell>"
    "<table:table-cell><text:p>comité des fêtes</text:p></table:table-cell>"
    "</table:table-row></table:table></office:spreadsheet>"
)

XLSX_STRINGS = (
    f'<sst xmlns="{SML}"><si><t>Tarif cantine</t></si>'
    "<si><r><t>Location </t></r><r><t>salle</t></r><rPh><t>guide</t></rPh></si></sst>"
)


def test_unreadable_documents_give_no_text_and_no_error(db):
    for name, data in [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog"),
        ("empty.pdf", b""),
        ("notes.txt", "Compte rendu : élagage des platanes".encode()),
    ]:
        text = text_of(name, data)
        assert text == ("Compte rendu : élagage des platanes" if name == "notes.txt" else "")


def test_office_documents_give_their_words_in_order_without_what_is_not_text(db):
    assert text_of("deliberation.docx", docx(DOCX_BODY)) == (
        "Délibération sur la cantine scolaire adoptée"
    )
    assert text_of("compte-rendu.odt", opendocument(ODT_BODY)) == (
        "Compte rendu Élagage des platanes de la place du marché"
    )
    assert text_of("subventions.ods", opendocument(ODS_BODY)) == ("Subvention comité des fêtes")
    xlsx = archive({"xl/sharedStrings.xml": XLSX_STRINGS, "xl/workbook.xml": "<workbook/>"})
    assert text_of("tarifs.xlsx", xlsx) == "Tarif cantine Location salle"
    numbers_only = archive({"xl/workbook.xml": "<workbook/>"})
    assert text_of("budget.xlsx", numbers_only) == ""


def test_hostile_or_broken_office_documents_give_no_text_and_no_error(db, monkeypatch):
    laughs = (
        '<!DOCTYPE w:document [<!ENTITY a "rire">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    )
    # Not a word of it is read: no entity expanded, no file reached.
    hostile = docx("<w:p><w:r><w:t>cantine &c; &secret;</w:t></w:r></w:p>", laughs)
    assert text_of("rires.docx", hostile) == ""
    assert text_of("tronque.docx", docx(DOCX_BODY)[:200]) == ""
    assert text_of("pas-un-zip.odt", b"PK\x03\x04 ceci n'est pas une archive") == ""
    assert text_of("vide.docx", archive({"word/document.xml": "<w:document"})) == ""
    locked = bytearray(docx(DOCX_BODY))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # the member marked as encrypted
        at = locked.find(header)
        while at != -1:
            flags = 6 if header == b"PK\x03\x04" else 8
            locked[at + flags] |= 1
            at = locked.find(header, at + 4)
    assert text_of("chiffre.docx", bytes(locked)) == ""
    # A part inflating past the limit is not read (a zip bomb stays a few bytes).
    monkeypatch.setattr(documents, "MAX_XML_BYTES", 1000)
    big = "<w:p><w:r><w:t>cantine</w:t></w:r></w:p>" * 100
    assert text_of("bombe.docx", docx(big)) == ""


def test_a_word_only_inside_a_docx_finds_the_document(communes, search_engine):
    a, b = communes[COMMUNE_A], communes[COMMUNE_B]
    indexing.reindex()
    body = "<w:p><w:r><w:t>Remplacement de la girouette du clocher</w:t></w:r></w:p>"
    document = SiteDocument(title="Compte rendu", collection_id=a.collection_id)
    document.file.save("cr.docx", ContentFile(docx(body)), save=False)
    document.save()
    indexing.index_documents([document.pk])
    results = services.search("girouettes", site=a.site)
    assert [r.title for r in results.results] == ["Compte rendu"]
    assert "<mark>girouette</mark>" in results.results[0].snippet
    assert results.results[0].details["format"] == "DOCX"
    assert services.search("girouette", site=b.site).total == 0
