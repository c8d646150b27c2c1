"""Exporting the lexicon as CSV: every column the import reads, so that it imports back
unchanged.

Each row is what its editors see: its latest draft when it has one (the `status` column
says so). Text that a spreadsheet would read as a formula gets a leading `'`
(communes.exports), which the import takes off again. UTF-8 with a BOM, so that a
spreadsheet opening it guesses the encoding.
"""

import csv
import io

from django.utils.translation import gettext as _

from communes.exports import neutralise_formula
from occitan.models import Theme
from occitan.services.csv_columns import COLUMNS, MODELS


def status_of(obj):
    if obj.live and obj.has_unpublished_changes:
        return _("publié, modifications à relire")
    if obj.live:
        return _("publié")
    return _("à relire")


def _cell(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    return neutralise_formula("" if value is None else str(value))


def export_rows(kind):
    """The header, then one row per entry (or expression), in the model's order."""
    columns = COLUMNS[kind]
    themes = dict(Theme.objects.values_list("pk", "slug"))
    yield list(columns)
    for obj in MODELS[kind].objects.select_related("latest_revision"):
        shown = obj
        if obj.has_unpublished_changes and obj.latest_revision is not None:
            shown = obj.with_content_json(obj.latest_revision.content)
        row = []
        for field in columns.values():
            if field is None:
                value = status_of(obj)
            elif field == "theme":
                value = themes.get(shown.theme_id, "")
            else:
                value = getattr(shown, field)
            row.append(_cell(value))
        yield row


def export_csv(kind) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(export_rows(kind))
    return buffer.getvalue().encode("utf-8-sig")
