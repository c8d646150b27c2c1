"""Suggestions of the Occitan form of a French word or phrase, from Apertium, offline.

The one Apertium runner of the project (communes.machine_translation) is shared: the same
command, timeout and modes as the translation editor's suggestions. What comes back is a
*suggestion*, marked as such in the admin and on the row (`machine_suggestion`), to review.
"""

import html

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communes.machine_translation import (
    MachineTranslationError,
    apertium_available,
    apertium_translate,
)

MAX_LENGTH = 200
NOTICE = _("suggestion automatique (Apertium) — à relire")


class SuggestionError(Exception):
    """A suggestion cannot be made: the message says why, in French, for the editor."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def modes():
    """[(mode, dialect, label)]: languedocien, then gascon."""
    return [
        (settings.APERTIUM_OCCITAN_MODE, "lengadocian", _("languedocien")),
        (settings.APERTIUM_GASCON_MODE, "gascon", _("gascon")),
    ]


def suggest(query):
    """The Occitan forms Apertium proposes for `query`, one per mode."""
    query = " ".join((query or "").split())
    if not query:
        raise SuggestionError(_("Écrivez un mot ou une expression en français."))
    if len(query) > MAX_LENGTH:
        raise SuggestionError(
            _("Texte trop long pour une suggestion (%(max)d caractères au plus).")
            % {"max": MAX_LENGTH}
        )
    if not apertium_available():
        raise SuggestionError(
            _(
                "Apertium n'est pas installé sur ce serveur : pas de suggestion automatique "
                "(« make apertium-deps »)."
            ),
            status=503,
        )
    suggestions = []
    for mode, dialect, label in modes():
        try:
            (text,) = apertium_translate([html.escape(query, quote=False)], mode)
        except MachineTranslationError as exc:
            raise SuggestionError(
                _("Apertium n'a pas pu proposer de forme (%(mode)s).") % {"mode": mode},
                status=503,
            ) from exc
        suggestions.append(
            {"mode": mode, "dialect": dialect, "label": str(label), "text": html.unescape(text)}
        )
    return {"query": query, "notice": str(NOTICE), "suggestions": suggestions}
