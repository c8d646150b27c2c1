"""Background work of the site factory (django-tasks)."""

from django_tasks import task
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

from search import indexing as visitor_index


@task()
def index_pages(page_ids: list[int]) -> int:
    """Search and reference indexing of pages the factory inserted in bulk: Wagtail's
    index (the admin's search), the visitors' index (search.indexing) and references.

    Search entries go in per model with the backends' add_bulk (one statement for many
    pages), the way `update_index` does it, rather than one page at a time.
    """
    by_model = {}
    for page in Page.objects.filter(pk__in=page_ids).specific().iterator(chunk_size=200):
        by_model.setdefault(type(page), []).append(page)
        ReferenceIndex.create_or_update_for_object(page)
    backends = list(get_search_backends(with_auto_update=True))
    for model, pages in by_model.items():
        indexed = list(model.get_indexed_objects().filter(pk__in=[p.pk for p in pages]))
        for backend in backends:
            if indexed:
                backend.add_bulk(model, indexed)
    visitor_index.index_pages(page_ids)
    return sum(len(pages) for pages in by_model.values())


@task()
def provision_collectivites(ids: list[int], blueprint: str | None = None, user_id=None) -> str:
    """Provision from the admin without holding the request."""
    from django.contrib.auth import get_user_model

    from communes.models import Collectivite
    from sitefactory.services.provisioning import provision

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = provision(Collectivite.objects.filter(pk__in=ids), blueprint=blueprint, user=user)
    return report.summary
