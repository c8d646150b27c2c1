"""The alert's public pages: subscribe (then check your inbox), confirm, unsubscribe.
Confirming and unsubscribing are done by a button (POST), so that a mail scanner that
opens the links changes nothing."""

from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communes.public_forms import HONEYPOT
from newcomers.alert_forms import AlertForm
from newcomers.services import alerts
from serving.rate_limit import RateLimit

LIMIT = RateLimit("newcomers-alerts")  # 5 subscriptions in 10 minutes
TEMPLATE = "newcomers/pages/offer_alert.html"


def _render(request, index, step, status=200, **extra):
    context = index.get_context(request)
    context.update(step=step, offers_url=index.get_url(request), **extra)
    return TemplateResponse(request, TEMPLATE, context, status=status)


def subscribe(request, index):
    if request.method != "POST":
        return _render(request, index, "form", form=AlertForm())
    form = AlertForm(request.POST)
    if request.POST.get(HONEYPOT):
        # A robot filled the invisible field: answer as for anyone, keep nothing.
        return _render(request, index, "sent")
    if LIMIT.exceeded(request):
        form.add_error(None, _("Trop de demandes envoyées d'ici. Réessayez dans quelques minutes."))
        return _render(request, index, "form", status=429, form=form)
    if not form.is_valid():
        return _render(request, index, "form", status=400, form=form)
    LIMIT.hit(request)
    alerts.request_subscription(
        form.cleaned_data["email"],
        get_language() or "fr",
        index,
        index.get_full_url(request),
    )
    return _render(request, index, "sent")


def confirm(request, index, token):
    subscription = alerts.read_token(token, "confirm")
    if subscription is None:
        return _render(request, index, "invalid", status=404)
    if request.method == "POST":
        alerts.confirm(subscription)
        return _render(request, index, "confirmed")
    return _render(request, index, "confirm", email=subscription.email)


def unsubscribe(request, index, token):
    subscription = alerts.read_token(token, "stop")
    if subscription is None:
        # Already gone, or never there: the visitor's wish is met either way.
        return _render(
            request, index, "unsubscribed", status=200 if request.method == "POST" else 404
        )
    if request.method == "POST":
        alerts.unsubscribe(subscription)
        return _render(request, index, "unsubscribed")
    return _render(request, index, "unsubscribe", email=subscription.email)
