"""The lexicon's admin forms: a transcript before publishing, and Apertium's suggestion.

Publishing, submitting to review or approving validates the whole form (Wagtail defers the
required fields only when a draft is saved): that is when a recording without transcript is
refused. The French field carries a widget whose script (occitan/suggest.js, no inline code,
for the admin's Content-Security-Policy) asks /admin/occitan/suggest/ for the Occitan forms
and offers to copy them into their fields.
"""

import json

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from occitan.services import review
from occitan.services.suggest import NOTICE


class SuggestInput(forms.TextInput):
    """A text input of French whose value Apertium turns into Occitan suggestions.

    `targets`: {mode: field name} where each mode's suggestion may be copied."""

    def __init__(self, targets, attrs=None):
        super().__init__(attrs)
        self.targets = targets

    class Media:
        js = ["occitan/suggest.js"]

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-occitan-suggest": reverse("occitan_suggest"),
            "data-occitan-targets": json.dumps({m: f"id_{f}" for m, f in self.targets.items()}),
            "data-occitan-flag": "id_machine_suggestion",
            "data-label-notice": str(NOTICE),
            "data-label-copy": _("Copier dans « %(field)s »"),
            "data-label-wait": _("Recherche d'une suggestion…"),
            "data-label-none": _("Pas de suggestion."),
        }
        return super().get_context(name, value, attrs)


class LexiconAdminForm(WagtailAdminModelForm):
    """What entries and expressions share: no publication of a recording without its
    transcript, and the suggestion widget on the French field (`suggest_from`)."""

    def suggest_targets(self):
        """{Apertium mode: the field its suggestion may be copied into}."""
        return {}

    suggest_from = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.suggest_from)
        if field is not None:
            targets = {m: f for m, f in self.suggest_targets().items() if f in self.fields}
            field.widget = SuggestInput(targets, attrs=field.widget.attrs)
            for mode, name in targets.items():
                self.fields[name].widget.attrs["data-occitan-mode"] = mode

    def clean(self):
        cleaned = super().clean()
        if not self.is_deferred_validation and "recording" in self.fields:
            recording = cleaned.get("recording")
            if recording is not None and not recording.transcript.strip():
                self.add_error("recording", review.TRANSCRIPT_REQUIRED % {"title": recording})
        return cleaned


class EntryAdminForm(LexiconAdminForm):
    suggest_from = "french"

    def suggest_targets(self):
        return {
            settings.APERTIUM_OCCITAN_MODE: "occitan",
            settings.APERTIUM_GASCON_MODE: "variant_gascon",
        }


class ExpressionAdminForm(LexiconAdminForm):
    suggest_from = "literal"

    def suggest_targets(self):
        return {settings.APERTIUM_OCCITAN_MODE: "occitan"}
