from occitan.models.lexicon import Dialect, Entry, Expression, Gender, PartOfSpeech
from occitan.models.recordings import Recording
from occitan.models.settings import OccitanSiteSettings
from occitan.models.snippets import Speaker, Theme

__all__ = [
    "Dialect",
    "Entry",
    "Expression",
    "Gender",
    "OccitanSiteSettings",
    "PartOfSpeech",
    "Recording",
    "Speaker",
    "Theme",
]
