"""Text of uploaded documents, so that a visitor finds a decision by a word inside it.

PDF through pypdf; the office formats a mairie uploads (ODT and ODS from LibreOffice, DOCX
and XLSX from Word and Excel) are zip archives of XML, read here from the one part that
holds their text, with a size limit (a zip bomb is not inflated), parsed as the importers
parse outside XML (`parsing.safexml`: no DTD nor entity, no network).
"""

import logging
import zipfile

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from parsing import safexml

logger = logging.getLogger(__name__)

# A council's minutes are a few dozen pages; a scanned 500-page archive is not read whole.
MAX_PAGES = 200
MAX_CHARS = 200_000
TEXT_EXTENSIONS = {"txt", "csv"}
# The XML of a 200-page text document is a few megabytes.
MAX_XML_BYTES = 32 * 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def extract_text(document) -> str:
    """The text of a PDF, office or plain-text document, "" when there is none or it cannot
    be read (a scan, an encrypted or broken file): the document stays findable by its title."""
    extension = (document.file_extension or "").lower()
    try:
        with document.file.open("rb") as handle:
            if extension == "pdf":
                return _pdf_text(handle)
            if extension in OFFICE_FORMATS:
                return _office_text(handle, *OFFICE_FORMATS[extension])
            if extension in TEXT_EXTENSIONS:
                return handle.read(MAX_CHARS * 2).decode("utf-8", errors="replace")[:MAX_CHARS]
    except (
        OSError,
        ValueError,
        PyPdfError,
        KeyError,
        TypeError,
        EOFError,  # a truncated archive
        RuntimeError,  # a deep PDF (RecursionError), an encrypted or unsupported zip member
        zipfile.BadZipFile,
        safexml.ImportFileError,  # XML refused, or not well-formed
    ) as exc:
        logger.warning("No text from document %s (%s): %s", document.pk, extension, exc)
    return ""


def _pdf_text(handle) -> str:
    reader = PdfReader(handle)
    if reader.is_encrypted and not reader.decrypt(""):
        return ""
    parts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or length >= MAX_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
    return " ".join(" ".join(parts).split())[:MAX_CHARS]


def _office_text(handle, part, texts):
    """The words of `part` of an office archive, as `texts` reads its XML."""
    with zipfile.ZipFile(handle) as archive:
        try:
            info = archive.getinfo(part)
        except KeyError:
            return ""  # a workbook of numbers only has no shared strings
        if info.file_size > MAX_XML_BYTES:
            # zipfile never inflates past the declared size: a lie there fails its CRC.
            logger.warning("Document part %s too large: %d bytes", part, info.file_size)
            return ""
        data = archive.read(info)
    # Refused there: any DTD or entity declaration, too deep a nesting, a wrong encoding.
    root = safexml.parse(data, part, max_bytes=MAX_XML_BYTES)
    words, length = [], 0
    for text in texts(root):
        words.append(text)
        length += len(text)
        if length >= MAX_CHARS:
            break
    return " ".join("".join(words).split())[:MAX_CHARS]


def _word_texts(root):
    """A DOCX body: the runs' text (`w:t`), a break at each paragraph, tab and line break.
    Deleted text of tracked changes (`w:delText`) and field codes are not text."""
    breaks = {W + "p", W + "tab", W + "br", W + "cr"}
    for element in root.iter(W + "t", *breaks):
        if element.tag in breaks:
            yield " "
        elif element.text:
            yield element.text


def _sheet_texts(root):
    """An XLSX's shared strings (what its cells say, numbers aside), a break at each,
    without the phonetic guides."""
    for element in root.iter(SML + "si", SML + "t"):
        if element.tag == SML + "si":
            yield " "
        elif element.text and element.getparent().tag != SML + "rPh":
            yield element.text


def _opendocument_texts(root):
    """An ODT or ODS body, in document order, a break at each paragraph, heading, cell,
    space and tab; tracked changes (deleted text) and comments are not text."""
    body = root.find(OFFICE + "body")
    if body is None:
        return
    breaks = {TEXT + "p", TEXT + "h", TEXT + "s", TEXT + "tab", TEXT + "line-break"}
    breaks.add(TABLE + "table-cell")
    skipped = {TEXT + "tracked-changes", OFFICE + "annotation", OFFICE + "annotation-end"}
    walk = etree.iterwalk(body, events=("start", "end"))
    for event, element in walk:
        if event == "start":
            if element.tag in skipped:
                walk.skip_subtree()
                continue
            if element.tag in breaks:
                yield " "
            if element.text:
                yield element.text
        elif element.tail and element is not body:
            yield element.tail


OFFICE_FORMATS = {
    "docx": ("word/document.xml", _word_texts),
    "xlsx": ("xl/sharedStrings.xml", _sheet_texts),
    "odt": ("content.xml", _opendocument_texts),
    "ods": ("content.xml", _opendocument_texts),
}
