"""Who may download a document: as many people as may see a page that uses it.

Wagtail protects a document by its collection's view restrictions only. A mairie puts the
minutes of a closed meeting in its (public) collection and links them from a page of its
private section: the file would still be served to anyone holding its address. Here a
document that pages use, every one of them behind a view restriction (its own or a
section's), is served only to visitors who may see one of those pages. A document used on a
public page, by a snippet or a setting (a banner shows on public pages), or used nowhere,
stays public. Uses are read from Wagtail's reference index, which follows the pages' saved
content (the live version of a published page).
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.wagtail_hooks import require_wagtail_login


def _uses(document_ids):
    """{document id: (ids of the pages using it, used by something else than a page)}."""
    document_type = ContentType.objects.get_for_model(get_document_model())
    page_type = ContentType.objects.get_for_model(Page)
    rows = (
        ReferenceIndex.objects.filter(
            to_content_type=document_type, to_object_id__in=[str(pk) for pk in document_ids]
        )
        .values_list("to_object_id", "base_content_type_id", "object_id")
        .distinct()
    )
    uses = defaultdict(lambda: (set(), False))
    for document_id, base_type, object_id in rows:
        pages, elsewhere = uses[int(document_id)]
        if base_type == page_type.pk:
            pages.add(int(object_id))
        else:
            elsewhere = True
        uses[int(document_id)] = (pages, elsewhere)
    return uses


def _restricted_prefixes(restricted_paths):
    return (
        restricted_paths
        if restricted_paths is not None
        else list(PageViewRestriction.objects.values_list("page__path", flat=True))
    )


def private_documents(document_ids, restricted_paths=None):
    """The documents among these that only restricted pages use. `restricted_paths` (the
    paths of the pages holding a view restriction) is read when not given."""
    uses = _uses(document_ids)
    if not uses:
        return set()
    prefixes = _restricted_prefixes(restricted_paths)
    if not prefixes:
        return set()
    page_ids = set().union(*(pages for pages, _elsewhere in uses.values()))
    paths = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "path"))
    private = set()
    for document_id, (pages, elsewhere) in uses.items():
        existing = [paths[pk] for pk in pages if pk in paths]
        if elsewhere or not existing:
            continue
        if all(any(path.startswith(prefix) for prefix in prefixes) for path in existing):
            private.add(document_id)
    return private


def pages_guarding(document):
    """The pages using `document` when it is private (see private_documents), else []."""
    if document.pk not in private_documents([document.pk]):
        return []
    pages, _elsewhere = _uses([document.pk])[document.pk]
    return list(Page.objects.filter(pk__in=pages).order_by("path"))


def documents_used_on(page_ids):
    """The ids of the documents these pages use."""
    document_type = ContentType.objects.get_for_model(get_document_model())
    page_type = ContentType.objects.get_for_model(Page)
    return sorted(
        {
            int(pk)
            for pk in ReferenceIndex.objects.filter(
                Q(base_content_type=page_type) & Q(object_id__in=[str(pk) for pk in page_ids]),
                to_content_type=document_type,
            ).values_list("to_object_id", flat=True)
        }
    )


def refused_restriction(pages, request):
    """(page, restriction) that keeps `request` from every one of `pages`; None when the
    visitor may see one of them."""
    refused = None
    for page in pages:
        failing = [r for r in page.get_view_restrictions() if not r.accept_request(request)]
        if not failing:
            return None
        refused = refused or (page, failing[0])
    return refused


def refusal(document, request):
    """What to answer instead of `document` (hook `before_serve_document`); None to serve
    it. The answer is the one a page using it gives: its password form, which brings the
    visitor back to the document, or the login."""
    pages = pages_guarding(document)
    if not pages:
        return None
    user = request.user
    if user.is_authenticated and permission_policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], document
    ):
        return None  # its editors, in the admin
    refused = refused_restriction(pages, request)
    if refused is None:
        return None
    page, restriction = refused
    if restriction.restriction_type == PageViewRestriction.PASSWORD:
        form = PasswordViewRestrictionForm(
            instance=restriction, initial={"return_url": request.get_full_path()}
        )
        action_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk]
        )
        response = page.specific.serve_password_required_response(request, form, action_url)
    else:
        response = require_wagtail_login(next=request.get_full_path())
    add_never_cache_headers(response)
    return response
