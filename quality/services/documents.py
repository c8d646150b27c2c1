"""Does a PDF have text? A scan without OCR is an image a screen reader cannot read.

Only the first pages are read (QUALITY_DOCUMENTS_MAX_PAGES) and a file larger than
QUALITY_DOCUMENTS_MAX_BYTES is not opened; an encrypted or broken PDF is « PDF illisible »,
never an exception. The verdict is kept by the file's hash (CheckedDocument): a document is
read once, and again only when its file is replaced.
"""

import hashlib
import logging

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from quality.models import CheckedDocument

logger = logging.getLogger(__name__)

# A page with fewer characters than this is a scan with a page number, not text.
MIN_CHARS = 20


def pdf_verdict(document) -> CheckedDocument:
    """The cached verdict of a PDF, read now when its file is new."""
    file_hash = document.file_hash or _hash(document)
    known = CheckedDocument.objects.filter(file_hash=file_hash).first()
    if known is not None:
        return known
    has_text, detail = read_pdf(document)
    verdict, _created = CheckedDocument.objects.update_or_create(
        file_hash=file_hash, defaults={"has_text": has_text, "detail": detail}
    )
    return verdict


def read_pdf(document) -> tuple[bool | None, str]:
    """(True, "") with text; (False, why) a scan; (None, why) a file that cannot be read."""
    try:
        size = document.file.size
    except OSError:
        return None, _("PDF illisible : fichier introuvable")
    if size > settings.QUALITY_DOCUMENTS_MAX_BYTES:
        return True, _("trop volumineux pour être vérifié")
    try:
        with document.file.open("rb") as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted and not reader.decrypt(""):
                return None, _("PDF illisible : chiffré")
            chars = 0
            for number, page in enumerate(reader.pages):
                if number >= settings.QUALITY_DOCUMENTS_MAX_PAGES:
                    break
                chars += len("".join((page.extract_text() or "").split()))
                if chars >= MIN_CHARS:
                    return True, ""
    except (OSError, ValueError, TypeError, KeyError, PyPdfError, RuntimeError) as exc:
        # RuntimeError: a PDF nested deep enough for a RecursionError.
        logger.warning("PDF %s unreadable: %s", document.pk, exc)
        return None, _("PDF illisible")
    return False, _("PDF sans texte (document numérisé ?)")


def _hash(document) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    try:
        with document.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return f"missing-{document.pk}"
    return digest.hexdigest()
