from occitan.models.lexicon import Dialect, Entry, Expression, Gender, PartOfSpeech
from occitan.models.pages import OccitanIndexPage
from occitan.models.recordings import Recording
from occitan.models.settings import OccitanSiteSettings
from occitan.models.snippets import Speaker, Theme
from occitan.models.terms import Term

__all__ = [
    "Dialect",
    "Entry",
    "Expression",
    "Gender",
    "OccitanIndexPage",
    "OccitanSiteSettings",
    "PartOfSpeech",
    "Recording",
    "Speaker",
    "Term",
    "Theme",
]
