import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from communes.models import Banner
from conftest import COMMUNE_A, COMMUNE_B, host_client

URL = "/alertes/"


@pytest.fixture(autouse=True)
def _no_rate_limit_between_tests():
    cache.clear()


@pytest.fixture
def bergerac(communes):
    return communes[COMMUNE_A]


@pytest.fixture
def lalinde(communes):
    return communes[COMMUNE_B]


@pytest.fixture
def resident(bergerac):
    return host_client(bergerac.hostname)


def subscribe(client, email="habitante@example.org", **extra):
    client.get(URL)  # sets the CSRF cookie
    data = {"email": email, "banners": "on", "meetings": "on", "consentement": "on", **extra}
    return client.post(URL, data)


def link(message, kind):
    """The path of the message's link of this kind ("confirmer", "desabonner")."""
    return re.search(rf"https?://[^/\s]+(/alertes/{kind}/[^/\s]+/)", message.body).group(1)


def confirmed(client, email="habitante@example.org", **extra):
    """A subscription confirmed through the emails, and the outbox emptied."""
    subscribe(client, email, **extra)
    client.post(link(mail.outbox[-1], "confirmer"))
    mail.outbox.clear()


def urgent_banner(title, site=None, *, level=Banner.Level.URGENT, start=None, **fields):
    now = timezone.now()
    banner = Banner(
        title=title,
        text=fields.pop("text", "Coupure d'eau rue Neuve."),
        level=level,
        start=start or now - datetime.timedelta(minutes=1),
        end=now + datetime.timedelta(days=1),
        site=site,
        live=True,
        **fields,
    )
    banner.save()
    return banner
