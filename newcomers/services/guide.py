"""What the guide's pages gather from the rest of the portal, kept under the content version
so that a page view costs no query for it."""

from django.utils.translation import get_language
from wagtail.models import Page

from communes.models.pages import collectivites_directory
from serving.cache import cached

# Where the directory's page sits on the portal: linked by its address, the guide does not
# know the directory's models (sections do not import each other).
SERVICES_SLUG = "services"


def _menu(parent_path, depth):
    from newcomers.models import GuideTopicPage, OfferIndexPage, TestimonialPage

    def children(model, *fields):
        return list(
            model.objects.live()
            .public()
            .filter(path__startswith=parent_path, depth=depth)
            .order_by("path")
            .values("slug", "title", *fields)
        )

    topics = children(GuideTopicPage, "section")
    sections = []
    for value, label in GuideTopicPage.Section.choices:
        items = [t for t in topics if t["section"] == value]
        if items:
            sections.append({"key": value, "label": str(label), "topics": items})
    offers = children(OfferIndexPage)
    return {
        "sections": sections,
        "testimonials": children(TestimonialPage, "person", "origin", "quote"),
        "offers_index": offers[0] if offers else None,
    }


def guide_menu(parent_path, depth):
    """The guide's topics by section, its testimonials and its offers' page, as slugs below
    the guide index at `parent_path`."""
    return cached(
        "newcomers-menu", [parent_path, get_language()], lambda: _menu(parent_path, depth)
    )


def _services_slug(portal_path, depth):
    def build():
        found = (
            Page.objects.live()
            .public()
            .filter(path__startswith=portal_path, depth=depth, slug=SERVICES_SLUG)
            .exists()
        )
        return SERVICES_SLUG if found else None

    return cached("newcomers-services", [portal_path, get_language()], build)


def _up(url):
    """The address one level up: /en/settle-in/living/ -> /en/settle-in/."""
    return url.rstrip("/").rsplit("/", 1)[0] + "/" if url else ""


def guide_links(page, request, is_index=False):
    """For any page of the guide: the guide's menu, its index and the services page."""
    step = Page.steplen
    index_path = page.path if is_index else page.path[:-step]
    url = page.get_url(request) or ""
    index_url = url if is_index else _up(url)
    index_depth = page.depth if is_index else page.depth - 1
    services = _services_slug(index_path[:-step], index_depth)
    return {
        "guide_url": index_url,
        "guide_menu": guide_menu(index_path, index_depth + 1),
        "services_url": f"{_up(index_url)}{services}/" if services and index_url else None,
    }


def guide_overview(index, request):
    """The index page's context: the guide's menu, the communes and the services page."""
    context = guide_links(index, request, is_index=True)
    directory = collectivites_directory()
    context["communes_by_epci"] = directory["by_epci"]
    context["communes_count"] = len(directory["collectivites"])
    return context
