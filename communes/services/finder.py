"""« Trouver ma commune »: the portal's one box for a commune's name, postcode or a piece of
its address.

The index is the provisioned collectivités, kept as plain values under the content version.
Names are compared folded (`parsing.text.name_key`: no case, no accents, hyphens and
apostrophes as spaces), with « St »/« Ste » read as « Saint »/« Sainte », and a commune
answers to the names of its former communes (communes déléguées) too.

What « address part » covers, honestly: there is no geocoder offline, so a street is not
looked up. A query may mix name words and postcodes (« lalinde 24150 »), and a full address
(« 2 rue de la Paix, 24150 Lalinde ») finds the commune whose whole name appears in it, the
5-digit postcode narrowing it; house numbers and street words are ignored.

Ranking: the name exactly, then the name beginning with the words typed, then every word
typed beginning a word of the name in order, then a name found inside a longer query. Ties
go to the larger population: « 24150 » is the postcode of eleven communes, and the one
people mean (the one La Poste names it after) is the largest, Lalinde.
"""

import re
from dataclasses import dataclass

from django.utils.translation import get_language

from parsing.text import words
from serving.cache import cached

# Spellings of the same word in commune names (« St-Capraise », « Ste-Foy »).
SYNONYMS = {"st": "saint", "ste": "sainte"}
POSTCODE = re.compile(r"^\d{5}$")
PARTIAL_POSTCODE = re.compile(r"^\d{2,4}$")
MAX_QUERY = 100

# How a name matches, best first.
EXACT, PREFIX, WORDS, INSIDE = 4, 3, 2, 1


@dataclass(frozen=True)
class Place:
    name: str
    url: str
    kind: str
    postcodes: tuple
    epci: str
    population: int
    latitude: float | None
    longitude: float | None
    keys: tuple  # the folded names it answers to: its own first, then former communes'
    former_names: tuple = ()  # the former communes' names, as keys[1:] folds them


@dataclass(frozen=True)
class Match:
    place: Place
    name_rank: int
    postcode_rank: int
    # The former commune's name when the match came through it (« Vicq » in Pressignac-Vicq).
    via: str = ""


def tokens(text):
    """The folded words of a name or a query, with the abbreviations spelt out."""
    return [SYNONYMS.get(word, word) for word in words(text or "")]


def places():
    """Every provisioned collectivité but the Pays, once per content version."""
    return cached("commune-finder", [get_language()], _build_places)


def _build_places():
    from communes.models import Collectivite

    rows = (
        Collectivite.objects.members()
        .provisioned()
        .select_related("site", "epci")
        .only(
            "name",
            "kind",
            "postcodes",
            "population",
            "latitude",
            "longitude",
            "delegated_communes",
            "epci__name",
            "outside_epci_name",
            "site__hostname",
            "site__port",
        )
        .order_by("name")
    )
    return [place_of(row) for row in rows]


def place_of(row):
    """The finder's view of a Collectivite (its site, epci loaded)."""
    return Place(
        name=row.name,
        url=row.url,
        kind=row.kind,
        postcodes=tuple(row.postcodes or ()),
        epci=row.epci.name if row.epci_id else row.outside_epci_name,
        population=row.population or 0,
        latitude=row.latitude,
        longitude=row.longitude,
        **_keys(row.name, row.delegated_communes),
    )


def _keys(name, delegated):
    keys, names = [" ".join(tokens(name))], []
    for former in delegated or ():
        label = (former or {}).get("name", "")
        key = " ".join(tokens(label))
        if key and key not in keys:
            keys.append(key)
            names.append(label)
    return {"keys": tuple(keys), "former_names": tuple(names)}


def _name_rank(key, query):
    """How the folded `key` matches the query's words (a list), 0 when it does not."""
    text = " ".join(query)
    if key == text:
        return EXACT
    if key.startswith(text):
        return PREFIX
    name = key.split()
    position = 0
    for word in query:
        while position < len(name) and not name[position].startswith(word):
            position += 1
        if position == len(name):
            break
        position += 1
    else:
        return WORDS
    # The whole name inside a longer query: an address naming its commune.
    if len(name) <= len(query) and f" {key} " in f" {text} ":
        return INSIDE
    return 0


def _postcode_rank(place, postcodes, partial):
    if postcodes:
        return 2 if any(code in place.postcodes for code in postcodes) else 0
    if partial:
        return 1 if any(code.startswith(partial) for code in place.postcodes) else 0
    return None  # the query names no postcode


def find(query, index=None, limit=None):
    """The places matching `query`, best first (a list of Match)."""
    index = places() if index is None else index
    found = tokens((query or "")[:MAX_QUERY])
    numbers = [word for word in found if word.isdigit()]
    text = [word for word in found if not word.isdigit()]
    postcodes = [word for word in numbers if POSTCODE.match(word)]
    # « 2415 » alone is a postcode being typed; beside words it is a house number.
    partial = numbers[0] if not text and len(numbers) == 1 else ""
    partial = partial if PARTIAL_POSTCODE.match(partial) else ""
    if not text and not postcodes and not partial:
        return []
    matches = []
    for place in index:
        postcode_rank = _postcode_rank(place, postcodes, partial)
        if postcode_rank == 0:
            continue
        name_rank, via = 0, ""
        if text:
            for number, key in enumerate(place.keys):
                rank = _name_rank(key, text)
                if rank > name_rank:
                    name_rank = rank
                    via = place.former_names[number - 1] if number else ""
            if not name_rank:
                continue
        matches.append(Match(place, name_rank, postcode_rank or 0, via))
    matches.sort(key=lambda m: (-m.name_rank, -m.postcode_rank, -m.place.population, m.place.name))
    return matches[:limit] if limit else matches


def suggestions(query, limit=8):
    """What the box proposes while typing: [{"name", "url", "postcodes", "epci"}]."""
    return [
        {
            "name": match.place.name,
            "url": match.place.url,
            "postcodes": ", ".join(match.place.postcodes),
            "epci": match.place.epci,
        }
        for match in find(query, limit=limit)
    ]
