"""Images shown without a text alternative, and PDFs without text (scans), per site."""

import re

from django.conf import settings
from django.urls import reverse

from communes.models import Collectivite, SiteDocument, SiteImage
from quality.models import LinkIssue
from quality.services.documents import pdf_verdict
from quality.services.extract import DOCUMENT, IMAGE

# An "alternative" that is a file name or a camera's number says nothing to a listener.
FILE_NAME = re.compile(
    r"(\.(jpe?g|png|gif|webp|svg|tiff?|heic)$)|^(img|dsc|dscn|image|photo|pxl)[-_ ]?\d+$",
    re.IGNORECASE,
)


def admin_url(name, pk) -> str:
    """Absolute, so that the weekly digest's email links to it too."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def meaningless(alt) -> bool:
    alt = " ".join((alt or "").split())
    return not alt or bool(FILE_NAME.search(alt))


def image_issues(references, images) -> list:
    """One issue per image of the site shown without a meaningful alternative: the first page
    showing it, its edit page in the admin, its title. A decorative image needs none."""
    found = {}
    for ref in references:
        if ref.kind != IMAGE or ref.target not in images or ref.target in found:
            continue
        image = images[ref.target]
        if image["is_decorative"]:
            continue
        alt = ref.alt if ref.alt is not None else image["description"]
        if meaningless(alt):
            found[ref.target] = {
                "kind": LinkIssue.Kind.IMAGE_WITHOUT_ALT,
                "url": admin_url("wagtailimages:edit", ref.target),
                "label": image["title"][:255],
                "status_code": None,
                "detail": "texte alternatif vide"
                if not (alt or "").strip()
                else f"« {alt[:200]} »",
                "page_id": ref.page_id,
            }
    return list(found.values())


def load_images(references) -> dict:
    """{id: {title, description, is_decorative}}, read as values (no image instances)."""
    ids = {ref.target for ref in references if ref.kind == IMAGE}
    rows = SiteImage.objects.filter(pk__in=ids).values(
        "pk", "title", "description", "is_decorative"
    )
    return {row["pk"]: row for row in rows}


def document_issues(site, references) -> list:
    """PDFs of the site without text or unreadable: those its pages link to, and those of its
    collection (the search finds them too)."""
    first_page = {}
    for ref in references:
        if ref.kind == DOCUMENT:
            first_page.setdefault(ref.target, ref.page_id)
    documents = SiteDocument.objects.filter(pk__in=first_page)
    collection = (
        Collectivite.objects.filter(site=site, collection__isnull=False)
        .select_related("collection")
        .first()
    )
    if collection is not None:
        in_collection = SiteDocument.objects.filter(
            collection__path__startswith=collection.collection.path
        )
        documents = documents | in_collection
    issues = []
    for document in documents.distinct().order_by("pk"):
        if (document.file_extension or "").lower() != "pdf":
            continue
        verdict = pdf_verdict(document)
        if verdict.has_text:
            continue
        issues.append(
            {
                "kind": LinkIssue.Kind.INACCESSIBLE_DOCUMENT,
                "url": admin_url("wagtaildocs:edit", document.pk),
                "label": document.title[:255],
                "status_code": None,
                "detail": verdict.detail[:255],
                "page_id": first_page.get(document.pk),
            }
        )
    return issues
