"""Each site's own pages, without the sites nested in its tree.

The communes' sites sit in the portal's tree, below its « communes » page: a query for the
portal's pages must leave their subtrees out. Leaving them out one by one (a condition per
site) grows with the number of sites and, for France, would be 35,000 conditions. The nested
sites' roots are grouped by parent instead: under the portal, one parent, one condition.
"""

from collections import defaultdict

from django.db.models import F, Q
from django.db.models.functions import Substr
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, Site


def other_sites_below(root):
    """A Q matching the pages below `root` that belong to another site."""
    steplen = Page.steplen
    roots = Site.objects.values("root_page__translation_key")
    nested = Page.objects.filter(
        path__startswith=root.path, depth__gt=root.depth, translation_key__in=roots
    )
    parents = set(
        nested.annotate(parent=Substr("path", 1, (F("depth") - 1) * steplen))
        .order_by()
        .values_list("parent", flat=True)
        .distinct()
    )
    if not parents:
        return Q(pk__in=[])
    # Beside the nested sites, a parent may have children of its own site: they stay.
    siblings = Q()
    for parent in parents:
        siblings |= Q(path__startswith=parent, depth=len(parent) // steplen + 1)
    kept = defaultdict(list)
    for path in (
        Page.objects.filter(siblings)
        .exclude(translation_key__in=roots)
        .values_list("path", flat=True)
    ):
        kept[path[:-steplen]].append(path)
    condition = Q()
    for parent in sorted(parents):
        below = Q(path__startswith=parent, depth__gt=len(parent) // steplen)
        for path in kept[parent]:
            below &= ~Q(path__startswith=path)
        condition |= below
    return condition


class SiteSitemap(Sitemap):
    """Wagtail's sitemap of the request's site, without the pages of the sites nested in its
    tree: a sitemap lists its own host's URLs only, and each commune's site has its own."""

    def items(self):
        root = self.get_wagtail_site().root_page
        return super().items().exclude(other_sites_below(root))


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"wagtail": SiteSitemap})
