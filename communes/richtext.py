"""Rich text that never renders a script, whatever reached the database.

The editor only saves whitelisted HTML, but rich text also comes from blueprints, imports
and the API. Rendering therefore goes through one more check: a cheap scan for anything
that could carry script, and a whitelist cleaning when it finds some.
"""

import re

from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html
from wagtail.whitelist import DEFAULT_ELEMENT_RULES, Whitelister, attribute_rule, check_url

# Ordinary French ("inscriptions", "description") must not trip it: only markup and URL
# schemes that can run code, and character references that could hide them.
SUSPICIOUS = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|form|svg|math|base|meta|link)\b"
    r"|script\s*:|\bon[a-z]+\s*=|&#|&colon;|data\s*:|\\u00",
    re.IGNORECASE,
)


class RenderedRichTextWhitelister(Whitelister):
    """Rules for rich text after expand_db_html: links, images, lists, headings."""

    element_rules = {
        **DEFAULT_ELEMENT_RULES,
        "a": attribute_rule({"href": check_url, "class": True, "title": True}),
        "img": attribute_rule(
            {"src": check_url, "width": True, "height": True, "alt": True, "class": True}
        ),
        "blockquote": DEFAULT_ELEMENT_RULES["p"],
        "code": DEFAULT_ELEMENT_RULES["p"],
    }


def clean_html(html: str) -> str:
    if not SUSPICIOUS.search(html):
        return html
    return RenderedRichTextWhitelister().clean(html)


def render_rich_text(source) -> str:
    source = getattr(source, "source", source) or ""
    return mark_safe(clean_html(expand_db_html(str(source))))  # noqa: S308 - cleaned above
