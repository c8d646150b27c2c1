"""French text for the search index: accent folding, words, stems, snippets.

The same functions serve every engine, so a query is understood the same way on
PostgreSQL, SQLite and Elasticsearch: lower case, accents folded ("délibération" and
"deliberation" are one word, the project's one folding: `parsing.text`), French stop words
dropped, Snowball French stems (the algorithm PostgreSQL's `french` configuration uses).
"""

import re
from functools import lru_cache
from html import escape  # Django's, the same text, costs a lazy wrapper per call

import snowballstemmer
from django.utils.safestring import mark_safe

from parsing.text import fold, words

# A query is read up to this many characters and words; beyond is ignored, so that a
# pasted page of text or a crafted query costs no more than an ordinary one.
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
MAX_WORD_LENGTH = 40

# PostgreSQL's French stop words (snowball list), folded.
STOP_WORDS = frozenset(
    """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez
    aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant
    ayez ayons c ce ceci cela celle ces cet cette d dans de des du elle en es est et
    etaient etais etait etant ete etee etees etes etiez etions eu eue eues eumes eurent
    eus eusse eussent eusses eussiez eussions eut eutes eux fumes furent fus fusse
    fussent fusses fussiez fussions fut futes ici il ils j je l la le les leur leurs lui
    m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas pour qu que quel
    quelle quelles quels qui s sa sans se sera serai seraient serais serait seras serez
    seriez serions serons seront ses soi soient sois soit sommes son sont soyez soyons
    suis sur t ta te tes toi ton tu un une vos votre vous y
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stems(text: str) -> str:
    """`text` as space-separated stems without stop words: what the SQLite index holds."""
    return " ".join(stem(w) for w in words(text) if w not in STOP_WORDS)


class Query:
    """What a visitor typed, read once: the words that count and their stems."""

    def __init__(self, raw: str):
        self.raw = " ".join((raw or "")[:MAX_QUERY_LENGTH].split())
        found = []
        for word in words(self.raw):
            if len(word) > MAX_WORD_LENGTH or word in STOP_WORDS or word in found:
                continue
            found.append(word)
            if len(found) == MAX_QUERY_WORDS:
                break
        self.words = found
        self.stems = list(dict.fromkeys(stem(w) for w in found))

    def __bool__(self):
        return bool(self.stems)

    @property
    def last_prefix(self):
        """The last word as typed so far, for autocomplete (None under two letters)."""
        tail = words(self.raw[-MAX_WORD_LENGTH:])
        return tail[-1] if tail and len(tail[-1]) >= 2 else None


def html_to_text(html: str) -> str:
    """Visible text of rich text, blocks separated, entities decoded."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return html
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text(" ", strip=True)


# Accented forms of each folded letter, so that snippets are found in the original text
# without folding it (a PDF's text can be 200,000 characters).
_VARIANTS = {
    "a": "aàâäáãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "n": "nñ",
    "o": "oôöóòõ",
    "u": "uùûüú",
    "y": "yÿý",
}


def _pattern(stem_text):
    return "".join(f"[{_VARIANTS[c]}]" if c in _VARIANTS else re.escape(c) for c in stem_text)


def matcher(query: Query):
    """A regular expression for the words of the query in unfolded text."""
    if not query.stems:
        return None
    # A stem is the start of the words it stands for (Snowball French only cuts endings).
    alternatives = "|".join(_pattern(s) for s in sorted(query.stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


# Latin-1 folded as `fold` folds it, one byte for one character (ASCII lower case, accents
# off; a character folding to more than one, or outside Latin-1, is left as it is or "?"):
# what is found in a text's folded bytes is at the same index in the text.
_FOLD_BYTES = bytes(
    ord(folded) if len(folded := fold(chr(b))) == 1 and folded.isascii() else b for b in range(256)
)
# The characters past Latin-1 that the expression, ignoring case, takes for one of its
# letters (the Kelvin sign for "k"…): one character each, folded before the bytes are.
_BEYOND_LATIN1 = {"Ÿ": "ÿ", "\u212b": "å", "\u212a": "k", "ſ": "s", "İ": "i", "ı": "i"}


def first_match(text: str, query: Query, pattern):
    """The first match of `pattern` (the query's `matcher`) in `text`, as `pattern.search`
    finds it. The expression alone is slow (a class of letters to try at every place: 2 ms
    for a 100 KB document, ten on a page of results); so the stems are looked for first in
    the text's folded bytes, where `find` is fast, and the expression only confirms each
    place found. As fast as the expression on a short text."""
    scanned = text
    for character, letter in _BEYOND_LATIN1.items():
        if character in scanned:
            scanned = scanned.replace(character, letter)
    folded = scanned.encode("latin-1", "replace").translate(_FOLD_BYTES)
    best = None
    for needle in {s.encode("ascii") for s in query.stems}:
        at = folded.find(needle)
        while at != -1 and (best is None or at < best.start()):
            found = pattern.match(text, at)
            if found:
                best = found
                break
            at = folded.find(needle, at + 1)
    return best


def highlight(text: str, query: Query, width: int = 220, pattern=None) -> str:
    """A window of `text` around the first word of the query, the query's words in <mark>.

    Escaped HTML, safe to show. Without a match, the start of the text.
    """
    if not text:
        return ""
    pattern = pattern or matcher(query)
    first = first_match(text, query, pattern) if pattern else None
    if first is None:
        cut = " ".join(text[: width + 50].split())[:width]
        return mark_safe(escape(cut) + ("…" if len(text) > width else ""))  # noqa: S308 - escaped
    start = max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first.end(), end)
        end = space if space > 0 else end
    pieces, cursor = [], start
    for found in pattern.finditer(text, start, end):
        pieces.append(escape(text[cursor : found.start()]))
        pieces.append(f"<mark>{escape(found.group())}</mark>")
        cursor = found.end()
    pieces.append(escape(text[cursor:end]))
    window = " ".join("".join(pieces).split())
    # Every piece of the text was escaped; only our <mark> tags are markup.
    return mark_safe(("…" if start else "") + window + ("…" if end < len(text) else ""))  # noqa: S308
