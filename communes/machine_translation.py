"""Suggestions of the machine for wagtail-localize's translation editor.

French → Occitan runs on Apertium, offline, on this machine (Debian's `apertium` and
`apertium-oci-fra`, `make apertium-deps`). French → English goes to DeepL, and only when a
`DEEPL_API_KEY` is set. wagtail-localize stores what comes back as *machine* translations,
which the editor shows as such until a person edits them: a suggestion to review, never a
publication by itself.

Strings arrive as wagtail-localize StringValues: HTML with inline tags only (`<b>`, `<a
id="a1">`). Both engines are asked to keep the tags and translate the text between them.
"""

import json
import logging
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

logger = logging.getLogger(__name__)

USER_AGENT = "Bastide/0.1 (traduction des pages du Pays; +https://bastide.invalid/contact)"
# Apertium's html deformatter leaves block tags alone: one paragraph per string keeps the
# strings apart, and a sentence never runs from one into the next.
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


class MachineTranslationError(Exception):
    pass


def _language(locale):
    return locale.language_code.split("-")[0].lower()


def apertium_available():
    return shutil.which(settings.APERTIUM_COMMAND) is not None


def apertium_translate(texts, mode=None):
    """Translate HTML fragments with `apertium -u -f html <mode>`, in one run."""
    if not texts:
        return []
    mode = mode or settings.APERTIUM_OCCITAN_MODE
    source = "\n".join(f"<p>{text}</p>" for text in texts) + "\n"
    try:
        done = subprocess.run(  # noqa: S603 (a fixed command; the text goes through stdin)
            [settings.APERTIUM_COMMAND, "-u", "-f", "html", mode],
            input=source,
            capture_output=True,
            text=True,
            timeout=settings.APERTIUM_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MachineTranslationError(f"Apertium ({mode}) : {exc}") from exc
    if done.returncode != 0:
        raise MachineTranslationError(f"Apertium ({mode}) : {done.stderr.strip()[:300]}")
    out = [match.strip() for match in _PARAGRAPH.findall(done.stdout)]
    if len(out) != len(texts):
        raise MachineTranslationError(
            f"Apertium ({mode}) a rendu {len(out)} textes pour {len(texts)} envoyés."
        )
    return out


def deepl_translate(texts, target="EN-GB"):
    """Translate HTML fragments with DeepL's API (settings.DEEPL_API_URL), XML tags kept."""
    if not texts:
        return []
    body = urllib.parse.urlencode(
        [("text", text) for text in texts]
        + [("source_lang", "FR"), ("target_lang", target), ("tag_handling", "xml")]
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL is a setting, http(s))
        settings.DEEPL_API_URL,
        data=body,
        headers={
            "Authorization": f"DeepL-Auth-Key {settings.DEEPL_API_KEY}",
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.DEEPL_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read(5_000_000))
        out = [item["text"] for item in answer["translations"]]
    except (OSError, urllib.error.URLError, ValueError, KeyError, TypeError) as exc:
        raise MachineTranslationError(f"DeepL : {exc}") from exc
    if len(out) != len(texts):
        raise MachineTranslationError(f"DeepL a rendu {len(out)} textes pour {len(texts)} envoyés.")
    return out


class BastideMachineTranslator(BaseMachineTranslator):
    """One translator for wagtail-localize, choosing its engine by the target language."""

    display_name = "Apertium / DeepL"

    def _engine(self, source_locale, target_locale):
        if _language(source_locale) != "fr":
            return None
        target = _language(target_locale)
        if target == "oc" and apertium_available():
            return "apertium"
        if target == "en" and settings.DEEPL_API_KEY:
            return "deepl"
        return None

    def can_translate(self, source_locale, target_locale):
        return self._engine(source_locale, target_locale) is not None

    def translate(self, source_locale, target_locale, strings):
        strings = list(strings)
        engine = self._engine(source_locale, target_locale)
        texts = [string.data for string in strings]
        try:
            if engine == "apertium":
                # wagtail-localize records this name beside each suggestion.
                self.display_name = f"Apertium ({settings.APERTIUM_OCCITAN_MODE})"
                out = apertium_translate(texts)
            elif engine == "deepl":
                self.display_name = "DeepL"
                out = deepl_translate(texts)
            else:
                return {}
        except MachineTranslationError:
            # Nothing is filled in: the editor's strings stay empty, to translate by hand.
            logger.exception("machine translation failed")
            return {}
        return {string: StringValue(text) for string, text in zip(strings, out, strict=True)}
