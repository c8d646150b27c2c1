"""The alerts' pages on the commune sites: the feed, the panels, what they cost."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - our own feed, not outside input

import pytest
from django.utils import timezone

from alerts.tests.conftest import URL, urgent_banner
from alerts.tests.test_sending import publish_meeting
from conftest import host_client


def rss_items(client):
    response = client.get(URL + "rss/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314
    return channel, channel.findall("item")


def test_the_feed_lists_the_commune_s_urgent_banners_and_meetings_not_another_s(
    resident, bergerac, lalinde
):
    urgent_banner("Coupure d'eau", bergerac.site)
    urgent_banner("Marché annulé", lalinde.site)
    urgent_banner("Pas encore", bergerac.site, start=timezone.now() + datetime.timedelta(days=1))
    publish_meeting(bergerac)
    channel, items = rss_items(resident)
    assert channel.findtext("title") == "Alertes de Bergerac"
    assert channel.findtext("language") == "fr"
    titles = [item.findtext("title") for item in items]
    assert "Alerte : Coupure d'eau" in titles
    assert any(title.startswith("Conseil : séance du ") for title in titles)
    assert "Alerte : Marché annulé" not in titles and "Alerte : Pas encore" not in titles
    for item in items:
        assert item.findtext("link").startswith("http://")
        assert item.findtext("guid")


def test_a_new_banner_shows_in_the_feed_at_once(resident, bergerac):
    _channel, before = rss_items(resident)
    urgent_banner("Tempête", bergerac.site)
    _channel, after = rss_items(resident)
    assert len(after) == len(before) + 1


def test_the_portal_has_no_alerts(portal_client):
    assert portal_client.get(URL).status_code == 404
    assert portal_client.get(URL + "rss/").status_code == 404


@pytest.mark.parametrize("path", [URL, URL + "rss/"])
def test_the_pages_cost_few_queries_cold_and_none_warm(
    resident, path, django_assert_max_num_queries, django_assert_num_queries
):
    resident.get("/")  # the site and its frame, as any visitor's first page
    with django_assert_max_num_queries(10):
        assert resident.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert resident.get(path).status_code == 200


def test_the_home_page_invites_to_subscribe(resident):
    html = resident.get("/").content.decode()
    assert "Alertes par courriel" in html
    assert 'href="/alertes/"' in html and 'href="/alertes/rss/"' in html


def test_the_personal_data_page_says_how_long_addresses_are_kept(resident, settings, lalinde):
    settings.ALERTS_UNCONFIRMED_RETENTION_DAYS = 21
    html = resident.get("/donnees-personnelles/").content.decode()
    assert "Alertes par courriel" in html and "effacée 21 jours après la demande" in html
    assert (
        "effacée 21 jours"
        in host_client(lalinde.hostname).get("/donnees-personnelles/").content.decode()
    )
