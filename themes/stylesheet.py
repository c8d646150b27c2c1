"""Each site's theme tokens as a stylesheet of its own, named after its content.

The tokens used to be an inline <style> carrying the request's nonce. A baked page (a file
that nginx serves) must carry the same Content-Security-Policy on every response, so it can
hold no nonce, hence no inline style: the tokens live at /theme/<digest>.css instead, where
<digest> is a hash of the CSS text. A change of theme or colour changes the URL, so the
file can be cached for a year (`immutable`) and a page never shows another version's colours.

`stylesheet_path(site)` is what the layout links and what the baking engine writes beside
the site's pages.
"""

import hashlib
from functools import lru_cache

from django.urls import reverse


def stylesheet_text(look):
    """The CSS of a ThemeSettings: its tokens as custom properties of the root element."""
    return f":root{{{look.css_variables}}}\n"


@lru_cache(maxsize=512)
def digest(text):
    # 64 bits: the URL must change with the text; nothing here is a secret to guess.
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def path_for(look):
    return reverse("theme_stylesheet", args=[digest(stylesheet_text(look))])


def stylesheet_path(site):
    """The URL path of a site's theme stylesheet, as the layout links it."""
    from themes.models import ThemeSettings

    return path_for(ThemeSettings.for_site(site))
