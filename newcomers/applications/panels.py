"""What the application form adds to the portal's « Données personnelles » page
(communes.sections, slot "personal-data"): how long applications are kept, which differs
from the contact messages' period the page states itself."""

from wagtail.models import Page

from communes.services.retention import PERSONAL_DATA_SLUG
from newcomers.applications.forms import retention_text
from newcomers.models.application_page import ApplicationPage
from serving.cache import cached
from serving.pages import site_of


def _sites_with_the_form():
    def build():
        pages = ApplicationPage.objects.live().only("path", "depth", "url_path")
        return sorted({site.pk for site in map(site_of, pages) if site is not None})

    return cached("newcomers-application-sites", [], build)


def personal_data(page):
    if page.slug != PERSONAL_DATA_SLUG:
        return None
    site = site_of(page)
    if site is None or site.pk not in _sites_with_the_form():
        return None
    if page.path[: -Page.steplen] != site.root_page.path:
        return None  # a page of the same slug deeper in the portal, or a commune's
    return {"retention": retention_text()}
