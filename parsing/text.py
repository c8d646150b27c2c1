"""One way of folding French text, so that what is typed and what is stored compare equal.

Lower case, accents off, ligatures spelt out: « Délibération » is « deliberation » and
« cœur » is « coeur », as a visitor types them on a keyboard without « œ ».
"""

import re
import unicodedata

WORD = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower case without accents or ligatures ("Œuvre" → "oeuvre"). Everything else, the
    punctuation included, is left in place."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("œ", "oe").replace("æ", "ae")


def words(text: str) -> list[str]:
    """The folded words of `text`: its runs of ASCII letters and digits once folded."""
    return WORD.findall(fold(text))


def name_key(text: str) -> str:
    """A name as it compares to others: folded words, one space apart, so that
    « Saint-Aubin-de-Lanquais » matches « saint aubin de lanquais »."""
    return " ".join(words(text))
