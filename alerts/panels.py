"""What the alerts add to the commune sites' pages (communes.sections): a panel on the home
page, and their retention on the « Données personnelles » page. No query once warm."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail.models import Page

from alerts.services.places import place_for_site
from communes.services.retention import PERSONAL_DATA_SLUG
from serving.pages import site_of


def home_panel(page):
    # The slot is a collectivité home page's (in any language): is it a collectivité's site?
    if place_for_site(site_of(page)) is None:
        return None
    return {"subscribe_url": reverse("alerts:subscribe"), "feed_url": reverse("alerts:feed")}


def personal_data(page):
    if page.slug != PERSONAL_DATA_SLUG:
        return None
    site = site_of(page)
    if site is None or place_for_site(site) is None:
        return None
    if page.path[: -Page.steplen] != site.root_page.path:
        return None  # a page of the same slug deeper in the site
    days = settings.ALERTS_UNCONFIRMED_RETENTION_DAYS
    return {"days": ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}}
