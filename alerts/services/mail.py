"""The alerts' emails: French, plain text, each with its one-click unsubscribe (RFC 8058)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send(template, context, to):
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"alerts/emails/{template}_subject.txt", context)
        body = render_to_string(f"alerts/emails/{template}.txt", context)
    unsubscribe = context["unsubscribe_url"]
    message = EmailMessage(
        " ".join(subject.split()),  # a header: one line
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            # Mail clients may then unsubscribe with one POST, no page (RFC 8058).
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
