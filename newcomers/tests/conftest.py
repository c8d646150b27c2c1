import datetime

import pytest
from django.utils import timezone

from communes.models import Collectivite
from newcomers.models import OfferIndexPage, OfferPage
from newcomers.services.demo import create_demo_guide


@pytest.fixture
def guide(pays):
    """The demo guide on the portal: the index, ten topics, two testimonials, six offers."""
    report = create_demo_guide()
    assert not report.skipped
    return report


@pytest.fixture
def offers_index(guide):
    return OfferIndexPage.objects.get()


def make_offer(index, title, commune_code, sector="commerce", days=30, **fields):
    today = timezone.localdate()
    offer = OfferPage(
        title=title,
        sector=sector,
        commune=Collectivite.objects.get(code=commune_code),
        description="<p>Offre de test.</p>",
        published_date=fields.pop("published_date", today),
        expiry_date=today + datetime.timedelta(days=days),
        **fields,
    )
    index.add_child(instance=offer)
    offer.save_revision().publish()
    return offer
