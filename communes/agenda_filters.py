"""The filters of the Pays' agenda (PortalAgendaPage): a GET form whose choices come from
the cached agenda, so that checking them costs no query."""

import datetime
import re

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

EVENTS, NEWS = "evenements", "actualites"
PERIODS = [
    ("", _("Toutes les dates")),
    ("semaine", _("Cette semaine")),
    ("weekend", _("Ce week-end")),
    ("mois", _("Ce mois-ci")),
]
# Dates outside these years are typing mistakes; they would also overflow date arithmetic.
FIRST_YEAR, LAST_YEAR = 2000, 2100
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        # What was typed goes back in the field only when it is a date: <input type=date>
        # takes no other value (the error above the field quotes nothing it could not show).
        if isinstance(value, str):
            if not ISO_DAY.fullmatch(value):
                return None
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
            return value
        return super().format_value(value)


class QuickSelect(forms.Select):
    """A <select> written in Python. Django renders each option through a template, about
    0.1 ms apiece: with the 160 collectivités, that was most of a view of the agenda. The
    options are joined as plain strings (not one format_html() each, a third of the rest)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attributes = flatatt({**self.build_attrs(self.attrs, attrs), "name": name})
        options = "".join(
            [
                f'<option value="{conditional_escape(key)}"'
                f"{' selected' if str(key) in chosen else ''}>{conditional_escape(label)}</option>"
                for key, label in self.choices
            ]
        )
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308 - escaped above


class PaysAgendaFilterForm(forms.Form):
    categorie = forms.ChoiceField(
        label=_("Afficher"),
        choices=[(EVENTS, _("Les événements")), (NEWS, _("Les actualités"))],
        required=False,
        widget=QuickSelect,
    )
    epci = forms.ChoiceField(label=_("Communauté de communes"), required=False, widget=QuickSelect)
    commune = forms.ChoiceField(label=_("Collectivité"), required=False, widget=QuickSelect)
    periode = forms.ChoiceField(
        label=_("Quand"), choices=PERIODS, required=False, widget=QuickSelect
    )
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    au = forms.DateField(
        label=_("Au"),
        required=False,
        widget=DateInput(),
        help_text=_("Des dates choisies remplacent « Quand »."),
    )

    def __init__(self, data, epcis, collectivites):
        super().__init__(data)
        everyone = [("", _("Toutes"))]
        self.fields["epci"].choices = everyone + list(epcis)
        self.fields["commune"].choices = everyone + list(collectivites)

    def _clean_date(self, name):
        value = self.cleaned_data.get(name)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Indiquez une date entre %(first)s et %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def clean_du(self):
        return self._clean_date("du")

    def clean_au(self):
        return self._clean_date("au")

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            self.add_error("au", _("La date de fin précède la date de début."))
            del data["du"]  # neither date then: the list without them
        return data

    @staticmethod
    def default_filters():
        return {"kind": EVENTS, "epci": "", "commune": "", "period": "", "start": None, "end": None}

    def filters(self):
        """What was understood: the fields without errors (the others are left out)."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        return {
            "kind": NEWS if data["categorie"] == NEWS else EVENTS,
            "epci": data["epci"] or "",
            "commune": data["commune"] or "",
            "period": data["periode"] or "",
            "start": data["du"],
            "end": data["au"],
        }


def period_bounds(period, today):
    """[first day, day after the last) of « cette semaine », « ce week-end », « ce mois-ci »."""
    if period == "semaine":
        monday = today - datetime.timedelta(days=today.weekday())
        return monday, monday + datetime.timedelta(days=7)
    if period == "weekend":
        saturday = today + datetime.timedelta(days=5 - today.weekday())
        if today.weekday() == 6:
            saturday = today - datetime.timedelta(days=1)
        return saturday, saturday + datetime.timedelta(days=2)
    if period == "mois":
        first = today.replace(day=1)
        return first, (first + datetime.timedelta(days=32)).replace(day=1)
    return None, None
