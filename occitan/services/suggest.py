"""Suggestions of the Occitan form of a French word or phrase, from Apertium, offline.

The one Apertium runner of the project (communes.machine_translation) is shared: the same
command, timeout and modes as the translation editor's suggestions. What comes back is a
*suggestion*, marked as such in the admin and on the row (`machine_suggestion`), to review.
"""

import hashlib
import html
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from communes.machine_translation import (
    MachineTranslationError,
    apertium_available,
    apertium_translate,
)

MAX_LENGTH = 200
CACHE_SECONDS = 24 * 3600
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
    wanted = modes()
    # Each mode is its own Apertium process: both at once.
    with ThreadPoolExecutor(max_workers=len(wanted)) as pool:
        texts = list(pool.map(lambda m: _translate(query, m[0]), wanted))
    suggestions = [
        {"mode": mode, "dialect": dialect, "label": str(label), "text": text}
        for (mode, dialect, label), text in zip(wanted, texts, strict=True)
    ]
    return {"query": query, "notice": str(NOTICE), "suggestions": suggestions}


def _translate(query, mode):
    """One mode's answer, kept a day: editors type the same words again."""
    key = "occitan-suggest:" + hashlib.sha256(f"{mode}\0{query}".encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        try:
            (text,) = apertium_translate([html.escape(query, quote=False)], mode)
        except MachineTranslationError as exc:
            raise SuggestionError(
                _("Apertium n'a pas pu proposer de forme (%(mode)s).") % {"mode": mode},
                status=503,
            ) from exc
        text = html.unescape(text)
        cache.set(key, text, CACHE_SECONDS)
    return text
