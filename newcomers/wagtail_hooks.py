from wagtail import hooks

from newcomers.viewsets import OfferAlertSubscriptionViewSet


@hooks.register("register_admin_viewset")
def register_offer_alerts():
    return OfferAlertSubscriptionViewSet("newcomers-alerts")
