"""What the « appel à photos » adds to the portal's « Données personnelles » page
(communes.sections, slot "personal-data")."""

from django.conf import settings
from django.utils.translation import ngettext
from wagtail.models import Page

from communes.services.retention import PERSONAL_DATA_SLUG
from photos.models import PhotoCallPage
from serving.cache import cached
from serving.pages import site_of


def _days(days):
    return ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}


def _sites_with_the_call():
    def build():
        pages = PhotoCallPage.objects.live().only("path", "depth", "url_path")
        return sorted({site.pk for site in map(site_of, pages) if site is not None})

    return cached("photos-call-sites", [], build)


def personal_data(page):
    if page.slug != PERSONAL_DATA_SLUG:
        return None
    site = site_of(page)
    if site is None or site.pk not in _sites_with_the_call():
        return None
    if page.path[: -Page.steplen] != site.root_page.path:
        return None  # a page of the same slug deeper in the portal, or a commune's
    return {
        "refused": _days(settings.PHOTO_SUBMISSION_REFUSED_RETENTION_DAYS),
        "accepted": _days(settings.PHOTO_SUBMISSION_ACCEPTED_RETENTION_DAYS),
    }
