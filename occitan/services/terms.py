"""Writing the lookup's terms (occitan.models.terms) of entries and expressions.

`terms_of(item)` works them out; `write(item)` replaces an item's terms, on every save
(post_save, occitan.apps); `rebuild()` writes them all again, for rows written without
save() (a bulk import) and for the migration that brought the table.
"""

from django.db import transaction

from occitan import text

BATCH = 1000


def _suffixes(form):
    """The form from each word on: after a space, and after an elision (« de l'ostal »
    gives « l'ostal » and « ostal »)."""
    starts = [0] + [i + 1 for i, c in enumerate(form) if c in " '" and i + 1 < len(form)]
    return [(form[i:].lstrip(" "), i == 0) for i in starts]


def terms_of(item):
    """[(term, side, start)] of an entry or an expression, without repeats."""
    return terms_for(item.french_forms(), item.occitan_forms())


def terms_for(french_forms, occitan_forms):
    found = {}
    for side, forms in (("fr", french_forms), ("oc", occitan_forms)):
        for form in forms:
            # Without its article: what is typed loses it too (text.bare), and « la »
            # typed means words starting with « la », not every feminine noun.
            variant = text.bare(form) or text.normalise(form)
            if variant:
                for term, start in _suffixes(variant):
                    if not term:
                        continue
                    key = (term[:300], side)
                    found[key] = found.get(key, False) or start
    return [(term, side, start) for (term, side), start in found.items()]


def _rows(Term, item, field):
    sort_key = getattr(item, item._meta.ordering[0])
    return [
        Term(term=term, side=side, start=start, live=item.live, sort_key=sort_key, **{field: item})
        for term, side, start in terms_of(item)
    ]


def _field(item):
    return "entry" if item._meta.model_name == "entry" else "expression"


def write(item):
    from occitan.models import Term

    field = _field(item)
    with transaction.atomic():
        Term.objects.filter(**{field: item}).delete()
        Term.objects.bulk_create(_rows(Term, item, field), batch_size=BATCH)


def set_live(item):
    """The item's terms follow its `live` flag (a publish or unpublish of the same text)."""
    from occitan.models import Term

    Term.objects.filter(**{_field(item): item}).update(live=item.live)


def rebuild():
    """Every term again, in one transaction."""
    from occitan.models import Entry, Expression, Term

    with transaction.atomic():
        Term.objects.all().delete()
        for model, field in ((Entry, "entry"), (Expression, "expression")):
            rows = []
            for item in model.objects.iterator(chunk_size=BATCH):
                rows += _rows(Term, item, field)
                if len(rows) >= BATCH:
                    Term.objects.bulk_create(rows, batch_size=BATCH)
                    rows = []
            Term.objects.bulk_create(rows, batch_size=BATCH)
