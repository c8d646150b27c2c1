"""Spreadsheet exports of the admin never hand a formula to the spreadsheet that opens them.

A visitor writes `=HYPERLINK("http://evil","facture")` in a contact form; a secretary exports
the submissions and opens them in a spreadsheet: the cell would be a live formula. Every
export of the admin (Wagtail's listings and reports, form submissions, wagtail-localize's,
ours) goes through Wagtail's SpreadsheetExportMixin, and it has no setting for this: its
`write_csv_row` and `get_heading` are replaced here, once, so that a text cell starting with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's "CSV injection"
advice). Real numbers (int, float, Decimal) are left alone: `-12` from a number field is
data, not a formula, and spreadsheets read it as a number. The same text from a text field
(form submissions store every answer as text) is prefixed.

XLSX cells are already written as strings by Wagtail, except its headings: the headings go
through the same function, so a form field labelled `=…` is no formula there either.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """`value` with a leading `'` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula(text):
    """What neutralise_formula() was given, for a cell read back from one of our exports."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _write_csv_row(self, writer, row_dict):
    return writer.writerow(
        {
            field: neutralise_formula(self.preprocess_field_value(field, value, self.FORMAT_CSV))
            for field, value in row_dict.items()
        }
    )


_wagtail_get_heading = SpreadsheetExportMixin.get_heading


def _get_heading(self, queryset, field):
    return neutralise_formula(_wagtail_get_heading(self, queryset, field))


def neutralise_spreadsheet_exports():
    """Called from CommunesConfig.ready(); tests/test_exports.py downloads every export the
    URL resolver knows to prove it still takes effect after a Wagtail upgrade."""
    SpreadsheetExportMixin.write_csv_row = _write_csv_row
    SpreadsheetExportMixin.get_heading = _get_heading
