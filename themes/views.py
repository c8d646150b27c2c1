"""The theme stylesheet of the requesting site (themes/stylesheet.py)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from serving.pages import site_for_request
from themes.models import ThemeSettings
from themes.stylesheet import digest, stylesheet_text

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def stylesheet(request, name):
    """The requesting site's tokens. The current CSS is served whatever the digest asked:
    a page rendered (or baked, or kept by a browser) just before a change of colours still
    finds the site's colours rather than an unstyled 404; but only the URL that names this
    very text is cached as immutable, an outdated one is revalidated at each use, so no
    cache ever keeps a text under a name that is not its own."""
    site = site_for_request(request)
    if site is None:
        raise Http404
    text = stylesheet_text(ThemeSettings.for_site(site))
    response = HttpResponse(text, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = IMMUTABLE if name == digest(text) else "no-cache"
    return response
