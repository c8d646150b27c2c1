"""The section's panel on commune home pages (communes.sections): the « mot del jorn »."""

from occitan.models import Dialect, OccitanSiteSettings
from occitan.services.word_of_day import word_of_day
from serving.pages import site_for_page


def word_of_day_panel(page):
    """The day's word, unless the site turned it off or no entry is live yet. Both answers
    are cached (per content version, and per day for the word): no query once warm. The
    date is read at each view, so a page served after midnight shows the new word."""
    if not OccitanSiteSettings.for_site(site_for_page(page)).show_word_of_day:
        return None
    word = word_of_day()
    if word is None:
        return None
    return {"word": word, "dialect": Dialect(word.dialect).label}
