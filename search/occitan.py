"""The Occitan lexicon in the search: one row per live entry and per live expression, for
the whole Pays, on the portal's site and found in its search with the « Occitan » facet.

A row leads to the entry's page below the portal's Occitan index (occitan.services.portal:
/occitan/mot/<slug>/, /occitan/expressions/<slug>/). Rows not live (« à relire », or
unpublished) have none, and indexing removes what they had.
"""

from occitan.models import Entry, Expression
from occitan.services.portal import location
from search.models import SearchEntry

ENTRY = "occitan-entry"
EXPRESSION = "occitan-expression"
LABELS = {ENTRY: Entry, EXPRESSION: Expression}


def entry_key(pk):
    return f"{ENTRY}:{pk}"


def expression_key(pk):
    return f"{EXPRESSION}:{pk}"


def _site_id(context):
    where = location()
    return where.site_id if where.site_id in context.sites else context.portal_site_id


def _forms(item):
    return " ".join(dict.fromkeys(f for f in (*item.french_forms(), *item.occitan_forms()) if f))


def entry_entries(entries, context):
    site_id = _site_id(context)
    if site_id is None:
        return []
    where = location()
    rows = []
    for entry in entries:
        if not entry.live:
            continue
        rows.append(
            SearchEntry(
                key=entry_key(entry.pk),
                kind=SearchEntry.Kind.OCCITAN,
                site_id=site_id,
                collectivite_id=None,
                path=where.entry_path(entry.slug),
                title=f"{entry.french} — {entry.occitan}"[:500],
                summary=" ".join(p for p in (entry.example_oc, entry.example_fr) if p)[:2000],
                keywords=_forms(entry)[:2000],
                boost=1.0,
                details={"occitan": entry.occitan, "dialect": entry.dialect},
            )
        )
    return rows


def expression_entries(expressions, context):
    site_id = _site_id(context)
    if site_id is None:
        return []
    where = location()
    rows = []
    for expression in expressions:
        if not expression.live:
            continue
        rows.append(
            SearchEntry(
                key=expression_key(expression.pk),
                kind=SearchEntry.Kind.OCCITAN,
                site_id=site_id,
                collectivite_id=None,
                path=where.expression_path(expression.slug),
                title=expression.occitan[:500],
                summary=" ".join(p for p in (expression.literal, expression.meaning) if p)[:2000],
                body=expression.usage_note,
                keywords=_forms(expression)[:2000],
                boost=1.0,
                details={"occitan": expression.occitan, "dialect": expression.dialect},
            )
        )
    return rows


def rows_for(keys, context):
    """Rows for these keys ("occitan-entry:12", …) of live rows; the others get none."""
    ids = {ENTRY: [], EXPRESSION: []}
    for key in keys:
        label, _, pk = key.partition(":")
        if label in ids and pk.isdigit():
            ids[label].append(int(pk))
    return [
        *entry_entries(Entry.objects.filter(pk__in=ids[ENTRY]), context),
        *expression_entries(Expression.objects.filter(pk__in=ids[EXPRESSION]), context),
    ]


def all_keys():
    return [
        *(entry_key(pk) for pk in Entry.objects.order_by("pk").values_list("pk", flat=True)),
        *(
            expression_key(pk)
            for pk in Expression.objects.order_by("pk").values_list("pk", flat=True)
        ),
    ]
