"""What the PostgreSQL and SQLite engines share: the filters, the facets, the paging."""

from django.db import connection
from django.utils import timezone

from search.engines import Engine, Hits
from search.models import SearchEntry

TABLE = SearchEntry._meta.db_table


class DatabaseEngine(Engine):
    """Subclasses say how a query matches (`match_clause`) and ranks (`rank_order`)."""

    def match_clause(self, query, filters, any_word, prefix=False):
        """(FROM and WHERE fragments, params) that keep the matching entries `e`."""
        raise NotImplementedError

    def rank_order(self):
        raise NotImplementedError

    def _where(self, filters, skip=()):
        clauses, params = [], []
        if filters.site_id is not None:
            clauses.append("e.site_id = %s")
            params.append(filters.site_id)
        if filters.kinds and "kind" not in skip:
            clauses.append(f"e.kind IN ({', '.join(['%s'] * len(filters.kinds))})")
            params.extend(filters.kinds)
        if filters.collectivite_id is not None and "collectivite" not in skip:
            clauses.append("e.collectivite_id = %s")
            params.append(filters.collectivite_id)
        if filters.languages:
            clauses.append(f"e.language IN ({', '.join(['%s'] * len(filters.languages))})")
            params.extend(filters.languages)
        clauses.append("(e.expires_at IS NULL OR e.expires_at > %s)")
        params.append(filters.now or timezone.now())
        return clauses, params

    def _select(self, columns, query, filters, any_word, skip=(), prefix=False):
        source, match_where, match_params = self.match_clause(query, filters, any_word, prefix)
        clauses, params = self._where(filters, skip)
        sql = f"SELECT {columns} FROM {source} WHERE {match_where}"
        if clauses:
            sql += " AND " + " AND ".join(clauses)
        return sql, match_params + params

    def _run(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def match(self, query, filters, offset, limit, facets, any_word):
        hits = Hits()
        if not query:
            return hits
        sql, params = self._select("e.id", query, filters, any_word)
        sql += f" ORDER BY {self.rank_order()} LIMIT %s OFFSET %s"
        hits.ids = [row[0] for row in self._run(sql, params + [limit, offset])]
        # The kind facet counts with every filter but the kind; the collectivité facet
        # with every filter but the collectivité: each count is what its link shows.
        sql, params = self._select("e.kind, COUNT(*)", query, filters, any_word, skip=("kind",))
        hits.kinds = dict(self._run(sql + " GROUP BY e.kind", params))
        selected = filters.kinds or hits.kinds.keys()
        hits.total = sum(hits.kinds.get(kind, 0) for kind in selected)
        if facets and filters.site_id is None:
            sql, params = self._select(
                "e.collectivite_id, COUNT(*)", query, filters, any_word, skip=("collectivite",)
            )
            hits.collectivites = dict(self._run(sql + " GROUP BY e.collectivite_id", params))
        return hits

    def suggest(self, query, filters, limit=8):
        if not query.last_prefix:
            return []
        sql, params = self._select("e.id", query, filters, any_word=False, prefix=True)
        sql += f" ORDER BY {self.rank_order()} LIMIT %s"
        return [row[0] for row in self._run(sql, params + [limit])]
