"""SQLite: an FTS5 table of Snowball French stems, written by us.

Wagtail's SQLite backend neither stems nor folds accents, and takes over a second for a
query across the Pays. Here each entry is one FTS5 row (rowid = the entry's id) holding
the stems of its title, keywords, summary and body, plus a `scope` column with a token for
its site and one for its kind, so that a query on one site (and the kinds every site
shares) is narrowed inside the full-text index itself.
"""

import sqlite3

from django.db import connection

from search.engines.database import TABLE, DatabaseEngine
from search.engines.postgres import prefix_alternatives
from search.text import stem, stems

FTS = "search_fts"
CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "title, keywords, summary, body, scope, tokenize = 'unicode61 remove_diacritics 0')"
)


def site_token(site_id):
    return f"site{site_id}"


def kind_token(kind):
    return f"kind{kind}"


def _phrase(token):
    return f'"{token}"'


class SqliteEngine(DatabaseEngine):
    name = "sqlite"

    def write(self, entries):
        entries = [e for e in entries if e.pk]
        if not entries:
            return
        rows = [
            (
                e.pk,
                stems(e.title),
                stems(e.keywords),
                stems(e.summary),
                stems(e.body),
                f"{site_token(e.site_id)} {kind_token(e.kind)}",
            )
            for e in entries
        ]
        with connection.cursor() as cursor:
            self._delete(cursor, [e.pk for e in entries])
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, title, keywords, summary, body, scope)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                rows,
            )

    def _delete(self, cursor, ids):
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM {FTS} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk
            )

    def delete(self, ids):
        with connection.cursor() as cursor:
            self._delete(cursor, list(ids))

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS}")

    def match_clause(self, query, filters, any_word, prefix=False):
        if prefix:
            last = query.last_prefix
            typed, shorter = prefix_alternatives(last)
            head = [stem(w) for w in query.words if w != last]
            begun = " OR ".join([f'"{typed}"*'] + [_phrase(s) for s in shorter])
            expression = " AND ".join([_phrase(s) for s in head] + [f"({begun})"])
            expression = f"title : ({expression})"
        else:
            operator = " OR " if any_word else " AND "
            words = operator.join(_phrase(s) for s in query.stems)
            expression = f"{{title keywords summary body}} : ({words})"
        if filters.site_id is not None:
            scopes = [site_token(filters.site_id)] + [kind_token(k) for k in filters.shared_kinds]
            scope = " OR ".join(_phrase(token) for token in scopes)
            expression = f"scope : ({scope}) AND ({expression})"
        source = f"{FTS} JOIN {TABLE} e ON e.id = {FTS}.rowid"
        return source, f"{FTS} MATCH %s", [expression]

    def score(self):
        # bm25 is negative, lower is better: negated, a boost above 1 brings an entry forward.
        return f"-bm25({FTS}, 10.0, 8.0, 3.0, 1.0, 0.0) * e.boost"

    def materialized(self):
        return "MATERIALIZED" if sqlite3.sqlite_version_info >= (3, 35) else ""
