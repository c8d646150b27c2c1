"""An application, from the form to the partner who follows its sector.

Stored first, in one transaction, then mailed: a partner's mail server that refuses it
loses nothing, the application stays « nouvelle » in the admin for the Pays team to
forward. Sent to the partner, it becomes « transmise ».
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from newcomers.models.applications import Application, Partner

logger = logging.getLogger(__name__)

# The confirmation's language: the visitor's, where the site speaks it; Occitan visitors get
# the French text (the guide's forms are not translated into Occitan).
CONFIRMATION_LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Route:
    partner: Partner | None
    name: str
    email: str

    @property
    def to_pays(self):
        return self.partner is None


def pays_route():
    return Route(None, settings.NEWCOMERS_PAYS_NAME, settings.NEWCOMERS_PAYS_EMAIL)


def route_for(sector) -> Route:
    """The active partner who follows `sector`, else the Pays itself. The admin form keeps a
    sector to one active partner; should two remain, the first by name wins."""
    for partner in Partner.objects.filter(active=True).order_by("name", "pk"):
        if sector in partner.sectors:
            return Route(partner, partner.name, partner.email)
    return pays_route()


def visitor_language():
    return translation.get_language() or settings.LANGUAGE_CODE


def confirmation_language(language):
    code = (language or "").split("-")[0]
    return code if code in CONFIRMATION_LANGUAGES else settings.LANGUAGE_CODE


def submit(form, page=None, language=None) -> Application:
    """Store a valid ApplicationForm's application, routed, then mail it."""
    with transaction.atomic():
        application = form.save(commit=False)
        route = route_for(application.sector)
        application.page = page
        offer = form.cleaned_data.get("offer")
        application.offer = offer
        application.offer_title = offer.title if offer is not None else ""
        application.language = (language or visitor_language())[:8]
        application.partner = route.partner
        application.partner_name = route.name
        application.partner_email = route.email
        application.routed_to_pays = route.to_pays
        application.save()
        form.save_m2m()
    if send_to_partner(application):
        Application.objects.filter(pk=application.pk).update(status=Application.Status.SENT)
        application.status = Application.Status.SENT
    send_confirmation(application)
    return application


def _send(message, what, application):
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any mail failure: kept in the admin, said in the log
        logger.exception("Candidature %s : envoi %s impossible", application.pk, what)
        return False
    return True


def send_to_partner(application) -> bool:
    """Plain text, in French (the partners are French), with Reply-To the candidate."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Candidature « Installez-vous » : %(sector)s — %(name)s") % {
            "sector": application.get_sector_display(),
            "name": application.name,
        }
        body = render_to_string(
            "newcomers/emails/application_to_partner.txt",
            {"application": application, "areas": application.area_names()},
        )
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[application.partner_email],
        reply_to=[application.email],
    )
    return _send(message, "au partenaire", application)


def send_confirmation(application) -> bool:
    with translation.override(confirmation_language(application.language)):
        subject = gettext("Votre candidature « Installez-vous en Bergeracois » est bien reçue")
        body = render_to_string(
            "newcomers/emails/application_confirmation.txt",
            {"application": application, "areas": application.area_names()},
        )
    message = EmailMessage(subject=subject, body=body, to=[application.email])
    return _send(message, "de la confirmation", application)
