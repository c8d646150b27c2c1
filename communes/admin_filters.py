"""The page explorer's filters, narrowed to the user's reach.

Wagtail's page listings (the explorer and the admin page search) offer filters by site, by
owner and by « edited by », whose choices it reads from the whole install: a secretary of
commune A would be offered every site of the Pays and the names of B's secretaries. Their
querysets are replaced here by callables of the request (django-filter calls them with it),
narrowed by communes.tenancy; the Pays team keeps Wagtail's own lists.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.pages.listing import GenericPageFilterSet, PageFilterSet
from wagtail.models import Page, PageLogEntry, Site

from communes.tenancy import tenancy_for


def _sites(request):
    tenancy = tenancy_for(request)
    sites = Site.objects.all()
    return sites if tenancy.is_pays_staff else sites.filter(pk__in=tenancy.site_ids)


def _owners(request):
    pages = Page.objects.filter(tenancy_for(request).page_filter())
    owners = pages.order_by().values_list("owner_id", flat=True).distinct()
    return get_user_model().objects.filter(pk__in=owners)


def _editors(request):
    edits = PageLogEntry.objects.filter(tenancy_for(request).page_filter("page__"))
    editors = edits.filter(action="wagtail.edit").order_by().values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=editors.distinct())


def narrow_page_filters():
    """Called from CommunesConfig.ready()."""
    for filterset in (PageFilterSet, GenericPageFilterSet):
        filterset.base_filters["site"].queryset = _sites
        filterset.base_filters["owner"].queryset = _owners
        filterset.base_filters["edited_by"].queryset = _editors
