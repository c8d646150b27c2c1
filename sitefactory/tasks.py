"""Background work of the site factory (django-tasks)."""

from django_tasks import task
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index


@task()
def index_pages(page_ids: list[int]) -> int:
    """Search and reference indexing of pages the factory inserted in bulk."""
    count = 0
    for page in Page.objects.filter(pk__in=page_ids).specific().iterator(chunk_size=200):
        index.insert_or_update_object(page)
        ReferenceIndex.create_or_update_for_object(page)
        count += 1
    return count


@task()
def provision_collectivites(ids: list[int], blueprint: str | None = None, user_id=None) -> str:
    """Provision from the admin without holding the request."""
    from django.contrib.auth import get_user_model

    from communes.models import Collectivite
    from sitefactory.services.provisioning import provision

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = provision(Collectivite.objects.filter(pk__in=ids), blueprint=blueprint, user=user)
    return report.summary
