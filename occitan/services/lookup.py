"""Finding words both ways: French → Occitan and Occitan → French, one function.

What is typed is normalised like the stored forms (occitan.text): case, accents, apostrophes
and a leading article do not matter, and every dialect form of an entry is searched. A
match is ranked: the whole form (« ostal » = « l'ostal »), then a form that starts with it,
then a word inside a form. Only live (reviewed) rows are searched unless `public=False`.

The matches come from the terms table (occitan.models.terms): a range on its B-tree index,
so that a lookup reads the few terms starting with what was typed, not every row of the
lexicon (bench/occitan.py: 20,000 entries).
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Min, Value, When

from occitan import text
from occitan.models import Entry, Expression

MIN_CHARS = 2
SHORT = 3
# Above every character a folded term holds: `term < q + TOP` bounds the terms starting
# with q (code point order, see occitan.models.terms).
TOP = "\uffff"


class Direction:
    FRENCH = "fr"  # the French word is typed, its Occitan is wanted
    OCCITAN = "oc"  # the Occitan word is typed, its French is wanted
    BOTH = "both"
    ALL = (FRENCH, OCCITAN, BOTH)


SIDES = {
    Direction.FRENCH: ["fr"],
    Direction.OCCITAN: ["oc"],
    Direction.BOTH: ["fr", "oc"],
}


@dataclass(frozen=True)
class Found:
    entries: list
    expressions: list
    query: str
    direction: str

    def __bool__(self):
        return bool(self.entries or self.expressions)


def _ranked(queryset, field, sides, term, limit, public):
    """Rows with a term starting with `term`, best rank first: 0 a whole form, 1 a form's
    start, 2 a word inside a form; then in the model's order.

    Two queries: the best rows' ids, ranked over the terms alone (they carry the rows' live
    flag and order; a prefix of two letters matches a thousand of them), then those rows in
    full."""
    from occitan.models import Term

    best = (
        Term.objects.filter(
            side__in=sides,
            term__gte=term,
            term__lt=term + TOP,
            **{f"{field}__isnull": False},
            **({"live": True} if public else {}),
            # Two letters: the forms starting with them, not every word inside a form
            # (« de », « la »: thousands of terms, and no use to a visitor).
            **({"start": True} if len(term) < SHORT else {}),
        )
        .values(field, "sort_key")
        .annotate(
            rank=Min(
                Case(
                    When(term=term, start=True, then=Value(0)),
                    When(start=True, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
        )
        .order_by("rank", "sort_key", field)[:limit]
    )
    ids = [row[field] for row in best]
    if not ids:
        return []
    rows = queryset.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def find(query, direction=Direction.BOTH, limit=50, public=True):
    """Entries and expressions matching `query` in the given direction, best first."""
    term = text.bare(query or "")[:300]
    if direction not in Direction.ALL:
        direction = Direction.BOTH
    if len(term) < MIN_CHARS:
        return Found([], [], term, direction)
    sides = SIDES[direction]
    entries = Entry.objects.select_related("theme", "recording")
    expressions = Expression.objects.select_related("theme", "recording")
    return Found(
        _ranked(entries, "entry", sides, term, limit, public),
        _ranked(expressions, "expression", sides, term, limit, public),
        term,
        direction,
    )
