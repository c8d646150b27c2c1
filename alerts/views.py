"""The alerts' public pages on every collectivité's site: subscribe (then « Vérifiez votre
messagerie »), confirm, unsubscribe, and the RSS feed (alerts.feeds).

Confirming and unsubscribing from the page are done by a button (POST), so that a mail
scanner that opens the links changes nothing. The unsubscribe POST takes no CSRF token: mail
clients send it themselves (RFC 8058 one-click), and the signed token is the authority.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from alerts.forms import SubscriptionForm
from alerts.services import subscriptions
from alerts.services.places import place_for_site
from alerts.signals import queue_sending
from communes.public_forms import HONEYPOT
from serving.pages import home_page, site_for_request
from serving.rate_limit import RateLimit

LIMIT = RateLimit("alerts")  # 5 subscriptions in 10 minutes
TEMPLATE = "alerts/pages/alerts.html"


def site_frame(request):
    """The collectivité of this site and its home page (the frame of the page), or 404."""
    place = place_for_site(site_for_request(request))
    home = home_page(request) if place else None
    if home is None:
        raise Http404
    return place, home


def _render(request, frame, step, status=200, **extra):
    place, home = frame
    context = {
        "page": home,
        "place": place,
        "step": step,
        "subscribe_url": reverse("alerts:subscribe"),
        "feed_url": reverse("alerts:feed"),
        **extra,
    }
    return TemplateResponse(request, TEMPLATE, context, status=status)


def subscribe(request):
    frame = site_frame(request)
    if request.method != "POST":
        return _render(request, frame, "form", form=SubscriptionForm())
    form = SubscriptionForm(request.POST)
    if request.POST.get(HONEYPOT):
        # A robot filled the invisible field: answer as for anyone, keep nothing.
        return _render(request, frame, "sent")
    if LIMIT.exceeded(request):
        form.add_error(None, _("Trop de demandes envoyées d'ici. Réessayez dans quelques minutes."))
        return _render(request, frame, "form", status=429, form=form)
    if not form.is_valid():
        return _render(request, frame, "form", status=400, form=form)
    LIMIT.hit(request)
    subscriptions.request_subscription(
        form.cleaned_data["email"],
        frame[0],
        banners=form.cleaned_data["banners"],
        meetings=form.cleaned_data["meetings"],
        root_url=request.build_absolute_uri("/"),
    )
    return _render(request, frame, "sent")


def confirm(request, token):
    frame = site_frame(request)
    subscription = subscriptions.read_token(token, subscriptions.CONFIRM, frame[0].pk)
    if subscription is None:
        return _render(request, frame, "invalid", status=404)
    if request.method == "POST":
        subscriptions.confirm(subscription)
        queue_sending()  # the urgent banners in force now
        return _render(request, frame, "confirmed")
    return _render(request, frame, "confirm", email=subscription.email)


@csrf_exempt
def unsubscribe(request, token):
    frame = site_frame(request)
    subscription = subscriptions.read_token(token, subscriptions.STOP, frame[0].pk)
    if subscription is None:
        if request.method == "POST":
            # Already gone, or never there: the visitor's wish is met either way.
            return _render(request, frame, "unsubscribed")
        return _render(request, frame, "invalid", status=404)
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
        return _render(request, frame, "unsubscribed")
    return _render(request, frame, "unsubscribe", email=subscription.email)
