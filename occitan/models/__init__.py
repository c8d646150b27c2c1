from occitan.models.lexicon import Dialect, Entry, Expression, Gender, PartOfSpeech
from occitan.models.pages import OccitanIndexPage
from occitan.models.recordings import Recording
from occitan.models.snippets import Speaker, Theme

__all__ = [
    "Dialect",
    "Entry",
    "Expression",
    "Gender",
    "OccitanIndexPage",
    "PartOfSpeech",
    "Recording",
    "Speaker",
    "Theme",
]
