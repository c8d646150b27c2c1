"""Takeover offers: filters without JavaScript, the map, the GeoJSON and the RSS feed, and
an expired offer gone from all of them by itself."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newcomers.tests.conftest import make_offer
from parsing.safexml import parse

URL = "/installez-vous/reprises/"


def titles(html):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_the_listing_shows_the_current_offers_newest_first(offers_index, portal_client):
    html = portal_client.get(URL).content.decode()
    assert len(titles(html)) == 6
    assert "6 offres de reprise" in html
    assert "Domaine viticole de 12 ha (offre fictive)" in titles(html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?secteur=agriculture", ["Domaine viticole de 12 ha (offre fictive)"]),
        (
            "?epci=200070647",
            ["Domaine viticole de 12 ha (offre fictive)", "Menuiserie-ébénisterie (offre fictive)"],
        ),
        ("?prix=moins-50000", ["Cabinet de kinésithérapie (offre fictive)"]),
        ("?prix=plus-300000", ["Domaine viticole de 12 ha (offre fictive)"]),
        (
            "?prix=50000-150000",
            [
                "Garage automobile (offre fictive)",
                "Épicerie de village (offre fictive)",
            ],
        ),
        ("?secteur=sante&epci=200070647", []),
    ],
)
def test_filters_are_a_plain_get_form(offers_index, portal_client, query, expected):
    response = portal_client.get(URL + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="get" action="/installez-vous/reprises/"' in html
    assert sorted(titles(html)) == sorted(expected)
    assert "Effacer les filtres" in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_a_bad_filter_value_is_explained_and_the_list_stays(offers_index, portal_client):
    response = portal_client.get(URL + "?secteur=licorne")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ce choix n&#x27;existe pas" in html or "Ce choix n'existe pas" in html
    assert len(titles(html)) == 6


def test_the_list_is_paginated(offers_index, portal_client):
    for number in range(10):
        make_offer(offers_index, f"Boutique {number}", "24037")
    first = portal_client.get(URL).content.decode()
    second = portal_client.get(URL + "?page=2").content.decode()
    assert len(titles(first)) == 12 and len(titles(second)) == 4
    assert 'rel="next"' in first
    assert portal_client.get(URL + "?page=zzz").status_code == 200


def test_the_map_marks_the_communes_of_the_offers(offers_index, portal_client):
    html = portal_client.get(URL).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="offers-map__marker"') == 6  # one per commune
    assert 'aria-label="Épicerie de village (offre fictive) — Issigeac"' in svg
    # Drawn here: no tile, no script, nothing from elsewhere.
    assert "<script" not in html and "http" not in svg
    make_offer(offers_index, "Boulangerie d'Issigeac", "24212")
    svg = portal_client.get(URL).content.decode()
    assert svg.count('class="offers-map__marker"') == 6
    assert 'aria-label="2 offres à Issigeac"' in svg


def test_the_geojson_has_the_offers_at_their_commune(offers_index, portal_client):
    response = portal_client.get(URL + "carte/?secteur=commerce")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    [feature] = data["features"]
    assert feature["properties"]["commune"] == "Issigeac"
    assert (
        feature["properties"]["url"]
        == "/installez-vous/reprises/epicerie-de-village-offre-fictive/"
    )
    lon, lat = feature["geometry"]["coordinates"]
    assert 44 < lat < 45.5 and 0 < lon < 1
    assert portal_client.get(URL + "carte/?prix=x").status_code == 400


def test_the_rss_feed_lists_the_current_offers(offers_index, portal_client):
    response = portal_client.get(URL + "rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    items = parse(response.content, "rss").findall("./channel/item")
    assert len(items) == 6
    assert items[0].find("link").text.startswith("http://pays.test/installez-vous/reprises/")


def test_an_expired_offer_leaves_the_listing_the_map_and_the_feed(
    offers_index, portal_client, monkeypatch
):
    make_offer(offers_index, "Librairie de Lalinde", "24223", days=0)  # its last day
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for check in (True, False):
        html = portal_client.get(URL).content.decode()
        geojson = portal_client.get(URL + "carte/").content.decode()
        rss = portal_client.get(URL + "rss/").content.decode()
        for text in (html, geojson, rss):
            assert ("Librairie de Lalinde" in text) is check
        if check:
            # The next day, without anyone touching it (no content change, no task): what
            # was computed and kept for today is not served tomorrow.
            monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    response = portal_client.get(URL + "librairie-de-lalinde/")
    assert response.status_code == 410
    assert "Cette offre a expiré" in response.content.decode()


def test_an_offer_page_says_what_is_for_sale(offers_index, portal_client):
    response = portal_client.get(URL + "domaine-viticole-de-12-ha-offre-fictive/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Monbazillac" in html and "CA Bergeracoise" in html
    assert "Chambre d&#x27;agriculture" in html or "Chambre d'agriculture" in html
    assert "À partir de 450" in html


def test_the_epci_and_the_partner_follow_the_commune_and_the_sector(offers_index):
    offer = make_offer(offers_index, "Atelier de poterie", "24299", sector="artisanat")
    assert offer.epci.name == "CC Isle et Crempse en Périgord"
    assert offer.partner == "" and offer.partner_in_charge == "cma"
    offer.sector = "sante"
    assert offer.partner_in_charge == "sante"
    offer.partner = "cci"
    assert offer.partner_label == "CCI Dordogne"


def test_offer_pages_cost_few_queries(offers_index, portal_client, django_assert_max_num_queries):
    for path in (URL + "rss/", URL + "carte/", URL + "garage-automobile-offre-fictive/"):
        portal_client.get(path)
        with django_assert_max_num_queries(10):
            assert portal_client.get(path).status_code == 200, path


def test_an_offer_page_leads_to_the_application_form_with_the_offer(offers_index, portal_client):
    from newcomers.applications.demo import create_demo_applications

    create_demo_applications()
    offer = make_offer(offers_index, "Boulangerie de Lalinde", "24223")
    html = portal_client.get(URL + "boulangerie-de-lalinde/").content.decode()
    link = BeautifulSoup(html, "html.parser").find("a", class_="offer-apply")
    assert link is not None and link["href"].endswith(f"?offre={offer.pk}")
    form = portal_client.get(link["href"]).content.decode()
    assert "Boulangerie de Lalinde" in form
