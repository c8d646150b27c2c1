"""The guide in English, made with wagtail-localize's own copy once the portal exists in
English."""

import re

from wagtail.models import Locale

from communes.models import PortalHomePage
from newcomers.models import GuideIndexPage
from newcomers.services.demo import create_demo_guide


def test_the_demo_guide_is_translated_below_an_english_portal(pays, portal_client):
    portal = PortalHomePage.objects.get(locale=Locale.get_default())
    portal.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    report = create_demo_guide()
    assert report.translated == 14
    index = GuideIndexPage.objects.get(locale__language_code="en")
    assert index.slug == "settle-in" and index.live
    assert index.get_translation(Locale.get_default()).slug == "installez-vous"

    response = portal_client.get("/en/settle-in/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Settle in the Bergerac area</h1>" in html
    assert 'href="/en/settle-in/housing/"' in html
    assert re.search(r'<html lang="en"', html)
    topic = portal_client.get("/en/settle-in/housing/").content.decode()
    assert "<h1>Finding a home</h1>" in topic
    offers = portal_client.get("/en/settle-in/businesses-for-sale/")
    assert offers.status_code == 200
    # The offers themselves stay in French until translated: the listing shows none in
    # English rather than a mix.
    assert "Businesses for sale" in offers.content.decode()
