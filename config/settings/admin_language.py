"""The admin's dates in French (docs/i18n.md, « L'administration en français »).

Wagtail's date pickers show and read these formats whatever the user's language, so the
languages' input formats (config/formats/) put the same day-first formats first: 11/12/2026 is
the 11th of December for every editor. Django still accepts ISO dates after them."""

WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
FORMAT_MODULE_PATH = ["config.formats"]
