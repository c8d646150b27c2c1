"""Occitan lexicon benchmark: lookups both ways over 20,000 entries.

    .venv/bin/python bench/occitan.py [--entries 20000] [--expressions 400] [--queries 400]
                                      [--keep]

On a throwaway database of the kind DATABASE_URL names (PostgreSQL `<name>_bench_occitan`,
dropped at the end unless --keep; otherwise a temporary SQLite file): migrates, then writes
the seed lexicon (occitan/data/) and synthetic entries and expressions up to the counts
asked (nine in ten live), with their search keys and lookup terms worked out as saving them
does. Then times `occitan.services.lookup.find` (limit 50, as the portal's search asks it),
warm, over varied queries: French words and Occitan forms of the seed, gascon variants,
with and without accents, articles or capitals, prefixes of 2 to 5 letters, and misses.
Prints p50, p95 and max in ms, and the same for a one-row query by primary key (how
loaded the machine is). Prints figures; asserts nothing about time.

Target: p95 ≤ 20 ms on SQLite and on PostgreSQL.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

from bench.provision import ThrowawayDatabase  # noqa: E402

DATA = ROOT / "occitan" / "data"
TARGET_P95_MS = 20
ONSETS = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "br"]
VOWELS = ["a", "e", "i", "o", "u", "è", "é", "ò", "ó", "à", "au", "ai", "ou"]
CODAS = ["", "", "", "l", "n", "r", "s", "t", "th", "sh"]
FR_ARTICLES = ["le ", "la ", "l'", ""]
OC_ARTICLES = ["lo ", "la ", "l'", "los ", ""]


def word(rng, syllables):
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables)) + (
        rng.choice(CODAS)
    )


def strip_accents(value):
    return "".join(
        c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn"
    )


def seed_rows():
    with (DATA / "lexicon-seed.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def make_lexicon(args, rng):
    from occitan import text
    from occitan.models import Entry, Expression
    from occitan.services import terms

    def keyed(item):
        item.fr_key = text.key(*item.french_forms())
        item.oc_key = text.key(*item.occitan_forms())
        item.fr_letter = (text.bare(item.french_forms()[0]) or "?")[:1]
        item.oc_letter = (text.bare(item.occitan_forms()[0]) or "?")[:1]
        return item

    seed = seed_rows()
    entries = [
        keyed(
            Entry(
                slug=f"seed-{i}",
                french=row["french"],
                occitan=row["occitan"],
                variant_gascon=row["occitan_gascon"],
                example_fr=row["example_fr"],
                example_oc=row["example_oc"],
                live=True,
            )
        )
        for i, row in enumerate(seed)
    ]
    for i in range(len(entries), args.entries):
        french = rng.choice(FR_ARTICLES) + word(rng, rng.randint(1, 3))
        occitan = rng.choice(OC_ARTICLES) + word(rng, rng.randint(1, 3))
        gascon = occitan.replace("l", "r", 1) + "u" if rng.random() < 0.5 else ""
        entries.append(
            keyed(
                Entry(
                    slug=f"mot-{i}",
                    french=french,
                    occitan=occitan,
                    variant_gascon=gascon,
                    example_fr=f"Voici {french}.",
                    example_oc=f"Vaquí {occitan}.",
                    live=rng.random() < 0.9,
                )
            )
        )
    Entry.objects.bulk_create(entries, batch_size=1000)
    expressions = [
        keyed(
            Expression(
                slug=f"expression-{i}",
                occitan=" ".join(word(rng, rng.randint(1, 2)) for _ in range(rng.randint(2, 5))),
                literal=" ".join(word(rng, rng.randint(1, 2)) for _ in range(rng.randint(2, 5))),
                meaning="Une expression de la vie de tous les jours.",
                live=True,
            )
        )
        for i in range(args.expressions)
    ]
    Expression.objects.bulk_create(expressions, batch_size=1000)
    terms.rebuild()  # bulk_create sends no post_save: the lookup's terms, all at once
    return seed


def queries(seed, rng, count):
    """(query, direction): what visitors type, each kind in turn."""
    from occitan.services.lookup import Direction

    def pick():
        return rng.choice(seed)

    makers = [
        lambda: (pick()["french"], Direction.FRENCH),
        lambda: (pick()["occitan"], Direction.OCCITAN),
        lambda: (pick()["occitan_gascon"] or pick()["occitan"], Direction.BOTH),
        lambda: (strip_accents(pick()["occitan"]), Direction.BOTH),
        lambda: (pick()["french"].upper(), Direction.BOTH),
        lambda: ("l'" + pick()["occitan"], Direction.OCCITAN),
        lambda: (pick()["french"][: rng.randint(2, 5)], Direction.FRENCH),
        lambda: (pick()["occitan"][: rng.randint(2, 5)], Direction.BOTH),
        lambda: (word(rng, 1)[:3], Direction.BOTH),
        lambda: ("zzq" + word(rng, 2), Direction.BOTH),
        lambda: ("xylophone introuvable", Direction.FRENCH),
    ]
    return [makers[i % len(makers)]() for i in range(count)]


def figures(args):
    from django.db import connection

    from occitan.services.lookup import find

    rng = random.Random(16)
    started = time.perf_counter()
    seed = make_lexicon(args, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {args.entries} entries and {args.expressions} expressions "
        f"made in {time.perf_counter() - started:.1f} s"
    )
    asked = queries(seed, rng, args.queries)
    for query, direction in asked[:30]:
        find(query, direction)  # warm
    timings, found, slowest = [], [], []
    for query, direction in asked:
        t = time.perf_counter()
        result = find(query, direction)
        len(result.entries), len(result.expressions)
        elapsed = (time.perf_counter() - t) * 1000
        timings.append(elapsed)
        slowest.append((elapsed, query, direction))
        found.append(len(result.entries) + len(result.expressions))
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"lookup.find, {len(asked)} queries (French, Occitan, gascon, accents, prefixes, "
        f"misses): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (found "
        f"{statistics.mean(found):.1f} on average) — target p95 ≤ {TARGET_P95_MS} ms: "
        f"{'OK' if p95 <= TARGET_P95_MS else 'MISSED'}"
    )
    # How loaded the machine is: the same figures for a one-row query by primary key.
    from occitan.models import Entry

    baseline = []
    for pk in range(1, 201):
        t = time.perf_counter()
        Entry.objects.filter(pk=pk).first()
        baseline.append((time.perf_counter() - t) * 1000)
    baseline.sort()
    print(
        f"baseline, one row by primary key: p50 {statistics.median(baseline):.1f} ms, "
        f"p95 {baseline[189]:.1f} ms"
    )
    slowest.sort(reverse=True)
    print("slowest: " + ", ".join(f"{q!r} ({d}) {ms:.1f} ms" for ms, q, d in slowest[:5]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--expressions", type=int, default=400)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    db = ThrowawayDatabase(
        os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}", "occitan"
    )
    db.create("bastide")
    os.environ["DATABASE_URL"] = db.url("bastide")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        figures(args)
    finally:
        connection.close()
        if not args.keep:
            db.drop()


if __name__ == "__main__":
    main()
