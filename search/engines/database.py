"""What the PostgreSQL and SQLite engines share: the filters, the facets, the paging."""

from django.db import connection
from django.utils import timezone

from search.engines import SHOWN, Engine, Hits, shown_from_row
from search.models import SearchEntry

TABLE = SearchEntry._meta.db_table


class DatabaseEngine(Engine):
    """Subclasses say how a query matches (`match_clause`) and scores (`score`)."""

    def match_clause(self, query, filters, any_word, prefix=False):
        """(FROM and WHERE fragments, params) that keep the matching entries `e`."""
        raise NotImplementedError

    def score(self):
        """An SQL expression of `e` (and the match): the higher, the better the entry."""
        raise NotImplementedError

    def rank_order(self):
        # Recent first among equals, undated last.
        return f"{self.score()} DESC, e.date DESC NULLS LAST, e.id"

    def materialized(self):
        """The hint that makes a CTE computed once ("" where the database has none)."""
        return "MATERIALIZED"

    def _where(self, filters, skip=()):
        clauses, params = [], []
        if filters.site_id is not None and filters.shared_kinds:
            shared = ", ".join(["%s"] * len(filters.shared_kinds))
            clauses.append(f"(e.site_id = %s OR e.kind IN ({shared}))")
            params += [filters.site_id, *filters.shared_kinds]
        elif filters.site_id is not None:
            clauses.append("e.site_id = %s")
            params.append(filters.site_id)
        chosen, chosen_params = self._chosen(filters, skip)
        clauses += chosen
        params += chosen_params
        if filters.languages:
            clauses.append(f"e.language IN ({', '.join(['%s'] * len(filters.languages))})")
            params.extend(filters.languages)
        clauses.append("(e.expires_at IS NULL OR e.expires_at > %s)")
        params.append(filters.now or timezone.now())
        return clauses, params

    @staticmethod
    def _chosen(filters, skip=()):
        """The filters a visitor picks among the facets: the kinds, the collectivité."""
        clauses, params = [], []
        if filters.kinds and "kind" not in skip:
            clauses.append(f"e.kind IN ({', '.join(['%s'] * len(filters.kinds))})")
            params.extend(filters.kinds)
        if filters.collectivite_id is not None and "collectivite" not in skip:
            clauses.append("e.collectivite_id = %s")
            params.append(filters.collectivite_id)
        return clauses, params

    def _select(self, columns, query, filters, any_word, skip=(), prefix=False, columns_params=()):
        source, match_where, match_params = self.match_clause(query, filters, any_word, prefix)
        clauses, params = self._where(filters, skip)
        sql = f"SELECT {columns} FROM {source} WHERE {match_where}"
        if clauses:
            sql += " AND " + " AND ".join(clauses)
        return sql, list(columns_params) + match_params + params

    def _run(self, sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def match(self, query, filters, offset, limit, facets, any_word):
        """One statement, one pass over the index: the entries matching with every filter
        but the kind and the collectivité (`m`) are read once; those that pass these two
        as well are ranked, and give the page of ids; all of them are counted by kind and
        collectivité, and the facets are summed from these counts below."""
        hits = Hits()
        if not query:
            return hits
        chosen, chosen_params = self._chosen(filters)
        picked = f"CASE WHEN {' AND '.join(chosen)} THEN 1 ELSE 0 END" if chosen else "1"
        # Only the picked entries are ranked.
        score = self.score()
        if chosen:
            score = f"CASE WHEN {' AND '.join(chosen)} THEN {score} END"
        inner, params = self._select(
            f"e.id, e.kind, e.collectivite_id, e.date AS day, {picked} AS picked, {score} AS score",
            query,
            filters,
            any_word,
            skip=("kind", "collectivite"),
            columns_params=chosen_params + chosen_params,
        )
        order = "{0}score DESC, {0}day DESC NULLS LAST, {0}id"
        # The page's entries are read in the same statement: one round trip per search.
        shown = ", ".join(f"s.{c}" for c in SHOWN)
        nothing = ", ".join(["NULL"] * len(SHOWN))
        sql = (
            f"WITH m AS {self.materialized()} ({inner}) "
            "SELECT 0 AS part,"
            f" row_number() OVER (ORDER BY {order.format('page.')}) AS n,"
            " NULL AS kind,"
            f" NULL AS collectivite_id, {shown}"
            f" FROM (SELECT id, score, day FROM m WHERE picked = 1 ORDER BY {order.format('')}"
            f" LIMIT %s OFFSET %s) AS page JOIN {TABLE} s ON s.id = page.id"
            " UNION ALL"
            f" SELECT 1 AS part, COUNT(*), kind, collectivite_id, {nothing} FROM m"
            " GROUP BY kind, collectivite_id"
        )
        rows = self._run(sql, params + [limit, offset])
        numbered = sorted((r for r in rows if r[0] == 0), key=lambda r: r[1])
        page = [shown_from_row(row[4:]) for row in numbered]
        hits.ids = [entry.pk for entry in page]
        hits.entries = {entry.pk: entry for entry in page}
        # The kind facet counts with every filter but the kind; the collectivité facet
        # with every filter but the collectivité: each count is what its link shows.
        kinds, collectivites, total = {}, {}, 0
        wanted = set(filters.kinds)
        for part, count, kind, collectivite_id, *_shown in rows:
            if part != 1:
                continue
            in_collectivite = (
                filters.collectivite_id is None or collectivite_id == filters.collectivite_id
            )
            of_kind = not wanted or kind in wanted
            if in_collectivite:
                kinds[kind] = kinds.get(kind, 0) + count
            if of_kind:
                collectivites[collectivite_id] = collectivites.get(collectivite_id, 0) + count
            if in_collectivite and of_kind:
                total += count
        hits.kinds, hits.total = kinds, total
        if facets and filters.site_id is None:
            hits.collectivites = collectivites
        return hits

    def suggest(self, query, filters, limit=8):
        if not query.last_prefix:
            return []
        sql, params = self._select("e.id", query, filters, any_word=False, prefix=True)
        sql += f" ORDER BY {self.rank_order()} LIMIT %s"
        return [row[0] for row in self._run(sql, params + [limit])]
