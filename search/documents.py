"""Text of uploaded documents, so that a visitor finds a decision by a word inside a PDF."""

import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

# A council's minutes are a few dozen pages; a scanned 500-page archive is not read whole.
MAX_PAGES = 200
MAX_CHARS = 200_000
TEXT_EXTENSIONS = {"txt", "csv"}


def extract_text(document) -> str:
    """The text of a PDF or plain-text document, "" when there is none or it cannot be read
    (a scan, an encrypted or broken file): the document stays findable by its title."""
    extension = (document.file_extension or "").lower()
    try:
        with document.file.open("rb") as handle:
            if extension == "pdf":
                return _pdf_text(handle)
            if extension in TEXT_EXTENSIONS:
                return handle.read(MAX_CHARS * 2).decode("utf-8", errors="replace")[:MAX_CHARS]
    except (OSError, ValueError, PyPdfError, KeyError, TypeError, RecursionError) as exc:
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
