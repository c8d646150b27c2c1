"""PostgreSQL full-text search with the `french` configuration.

Text is folded in Python first (no `unaccent` extension needed, and the same folding as
the query), then `to_tsvector('french', …)` stems it: title and keywords weigh A, the
summary B, the body D. A GIN index on the vector (migration 0002) finds the matches; a
smaller vector of the same fields with only the start of the body, kept inside the row
(`rank_vector`, migration 0003), ranks them. Ranking on the whole vector read each long
document's vector out of the TOAST table and decompressed it: two thirds of the time of a
Pays-wide search.
"""

from django.db import DatabaseError, connection, transaction

from parsing.text import fold
from search.engines.database import TABLE, DatabaseEngine

VECTOR = (
    "setweight(to_tsvector('french', %s), 'A') || setweight(to_tsvector('french', %s), 'A')"
    " || setweight(to_tsvector('french', %s), 'B') || setweight(to_tsvector('french', %s), 'D')"
)


# How much of the body ranks: about a page of a PDF.
RANK_BODY = 1500

GIN = "search_entry_vector_gin"
# Writing this many entries at once (a reindex batch, an import) cleans the pending list.
CLEAN_AFTER = 50


def _quote(word):
    # Words are [0-9a-z]+ (parsing.text.WORD): nothing in them is tsquery syntax.
    return f"'{word}'"


def prefix_alternatives(prefix):
    """The typed start of a word, and its few shorter starts that may be a stem of it
    ("mairi" must find "mairie", indexed as "mair")."""
    shorter = [prefix[:k] for k in range(max(3, len(prefix) - 3), len(prefix))]
    return prefix, shorter


class PostgresEngine(DatabaseEngine):
    name = "postgresql"

    def write(self, entries):
        rows = []
        for e in entries:
            heads = (fold(e.title), fold(e.keywords), fold(e.summary))
            body = fold(e.body)
            rows.append((*heads, body, *heads, body[:RANK_BODY], e.pk))
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {TABLE} SET vector = {VECTOR}, rank_vector = {VECTOR} WHERE id = %s",
                    rows,
                )
            if len(rows) >= CLEAN_AFTER:
                self._clean_pending_list()

    @staticmethod
    def _clean_pending_list():
        """Move the GIN index's pending entries into the index proper. With `fastupdate`
        (the default), new entries wait in an unsorted list that every search reads whole
        until a vacuum: after a reindex, thousands of them, and searches many times slower
        (the planner, seeing a costly index, then reads the whole table instead)."""
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [GIN])
        except DatabaseError:
            # Not the index's owner: autovacuum will do it.
            pass

    def _run(self, sql, params):
        """Run a search with sequential scans off, for this statement only. A common word
        ("mairie") is in more than half the entries, and the planner then prefers reading
        the table to the GIN index; but reading the table tests every entry's vector, read
        out of TOAST and decompressed: three times slower than the index, which answers
        without them. The settings are transactional: a failed search leaves none behind."""
        if connection.settings_dict["OPTIONS"].get("server_side_binding"):
            return super()._run(sql, params)  # one statement per call there
        with connection.cursor() as cursor:
            cursor.execute(f"SET enable_seqscan = off; {sql}; RESET enable_seqscan", params)
            cursor.nextset()
            rows = cursor.fetchall()
            cursor.nextset()
            return rows

    def match_clause(self, query, filters, any_word, prefix=False):
        if not prefix:
            operator = " | " if any_word else " & "
            text = operator.join(_quote(w) for w in query.words)
            source = f"{TABLE} e, to_tsquery('french', %s) AS tsq(q)"
            return source, "e.vector @@ tsq.q", [text]
        # Autocomplete: the title (weight A) has every word typed, the last one begun. The
        # GIN index finds the entries having these words anywhere (a weighted query would
        # make it recheck each whole vector); the row's own rank vector keeps the titles.
        last = query.last_prefix
        typed, shorter = prefix_alternatives(last)
        anywhere = " | ".join([f"{_quote(typed)}:*"] + [_quote(s) for s in shorter])
        in_title = " | ".join([f"{_quote(typed)}:*A"] + [f"{_quote(s)}:A" for s in shorter])
        source = f"{TABLE} e, to_tsquery('simple', %s) AS tsq(q)"
        where = "e.vector @@ to_tsquery('simple', %s) AND e.rank_vector @@ tsq.q"
        params = [in_title, anywhere]
        head = " & ".join(f"{_quote(w)}" for w in query.words if w != last)
        if head:
            where += " AND e.vector @@ to_tsquery('french', %s)"
            params.append(head)
        return source, where, params

    def score(self):
        # Normalisation 1 divides by the log of the length: a long PDF does not win by
        # repeating a word.
        return "ts_rank('{0.05, 0.2, 0.4, 1.0}', e.rank_vector, tsq.q, 1) * e.boost"
