"""Offers on baked pages: the list is the day's, an offer expires at the midnight after its
expiry date (serving.clock)."""

import datetime

from django.utils import timezone

from newcomers.tests.conftest import make_offer
from serving import clock


def test_the_offers_list_and_an_offer_note_when_they_change(offers_index, portal_client):
    offer = make_offer(offers_index, "Librairie du Pont", "24037", days=3)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with clock.collect() as horizon:
        response = portal_client.get(offers_index.url)
    assert response.status_code == 200 and "Librairie du Pont" in response.content.decode()
    assert horizon.reasons["offres en cours"] == clock.start_of_day(tomorrow)
    with clock.collect() as horizon:
        assert portal_client.get(offer.url).status_code == 200
    assert horizon.reasons["offre expirée"] == clock.start_of_day(
        offer.expiry_date + datetime.timedelta(days=1)
    )
