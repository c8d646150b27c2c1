"""Finding words both ways: French → Occitan and Occitan → French, one function.

What is typed is normalised like the stored keys (occitan.text): case, accents, apostrophes
and a leading article do not matter, and every dialect form of an entry is in its key. A
match is ranked: the whole form (« ostal » = « l'ostal »), then a form that starts with it,
then a word inside a form. Only live (reviewed) rows are searched unless `public=False`.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from occitan import text
from occitan.models import Entry, Expression

MIN_CHARS = 2


class Direction:
    FRENCH = "fr"  # the French word is typed, its Occitan is wanted
    OCCITAN = "oc"  # the Occitan word is typed, its French is wanted
    BOTH = "both"
    ALL = (FRENCH, OCCITAN, BOTH)


@dataclass(frozen=True)
class Found:
    entries: list
    expressions: list
    query: str
    direction: str

    def __bool__(self):
        return bool(self.entries or self.expressions)


def _match(field, term):
    """Q and rank for one key field: 0 whole form, 1 form prefix, 2 word inside a form."""
    whole = Q(**{f"{field}__contains": f"\n{term}\n"})
    prefix = Q(**{f"{field}__contains": f"\n{term}"})
    inside = Q(**{f"{field}__contains": f" {term}"})
    return whole, prefix, inside


def _ranked(queryset, fields, term, limit):
    conditions = [_match(field, term) for field in fields]
    any_match = Q()
    for whole, prefix, inside in conditions:
        any_match |= whole | prefix | inside
    whens = []
    for rank in range(3):
        for condition in conditions:
            whens.append(When(condition[rank], then=Value(rank)))
    return list(
        queryset.filter(any_match)
        .annotate(rank=Case(*whens, default=Value(3), output_field=IntegerField()))
        .order_by("rank", *queryset.model._meta.ordering)[:limit]
    )


def find(query, direction=Direction.BOTH, limit=50, public=True):
    """Entries and expressions matching `query` in the given direction, best first."""
    term = text.bare(query or "")
    if direction not in Direction.ALL:
        direction = Direction.BOTH
    if len(term) < MIN_CHARS:
        return Found([], [], term, direction)
    fields = {
        Direction.FRENCH: ["fr_key"],
        Direction.OCCITAN: ["oc_key"],
        Direction.BOTH: ["fr_key", "oc_key"],
    }[direction]
    entries = Entry.objects.public() if public else Entry.objects.all()
    expressions = Expression.objects.public() if public else Expression.objects.all()
    return Found(
        _ranked(entries.select_related("theme", "recording"), fields, term, limit),
        _ranked(expressions.select_related("theme", "recording"), fields, term, limit),
        term,
        direction,
    )
