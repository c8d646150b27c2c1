"""The newcomers' admin is the Pays team's: a secretary sees neither the offers nor the
alert's subscribers."""

from django.urls import reverse
from django.utils import timezone

from communes.models import Collectivite
from conftest import COMMUNE_A, host_client, member
from newcomers.models import GuideIndexPage, OfferAlertSubscription, OfferPage


def test_a_secretary_sees_nothing_of_the_newcomers_admin(communes, guide):
    subscription = OfferAlertSubscription.objects.create(
        email="secret@example.org", confirmed_at=timezone.now()
    )
    offer = OfferPage.objects.first()
    secretary = member("sec-a", communes[COMMUNE_A], "secretariat")
    client = host_client("pays.test")
    client.force_login(secretary)
    for url in (
        reverse("newcomers-alerts:index"),
        reverse("newcomers-alerts:edit", args=[subscription.pk]),
        reverse("newcomers-alerts:delete", args=[subscription.pk]),
        reverse("wagtailadmin_pages:edit", args=[offer.pk]),
        reverse("wagtailadmin_explore", args=[GuideIndexPage.objects.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "secret@example.org" not in response.content.decode()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Alertes « reprises »" not in home
    assert OfferAlertSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_pays_team_reads_and_removes_subscriptions(communes, guide):
    OfferAlertSubscription.objects.create(email="lu@example.org")
    staff = member("staff", Collectivite.objects.get(code="PAYS"), "equipe")
    client = host_client("pays.test")
    client.force_login(staff)
    listing = client.get(reverse("newcomers-alerts:index"))
    assert listing.status_code == 200
    assert "lu@example.org" in listing.content.decode()
    offer = OfferPage.objects.first()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[offer.pk])).status_code == 200
