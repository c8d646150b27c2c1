"""The lookup's terms: every way a lexicon row may be typed, one B-tree row each.

For each form of an entry (its French; its Occitan in each dialect), normalised and without
its leading article (occitan.text), one term per word position: the form from that word on.
« l'ostal de la bòria » gives « ostal de la boria », « de la boria », « la boria »,
« boria ». What a visitor types is then found with a range on an
index, `term >= q AND term < q + U+FFFF`, instead of a `LIKE '%…%'` over every row: a form
that is `q` (rank 0), that starts with it (1), or a word inside that does (2).

Written by occitan.services.terms whenever an entry or an expression is saved (publishing
and unpublishing save it too). Ordered by
code point (SQLite's BINARY, PostgreSQL's "C" collation set by migration 0002), so that the
range holds exactly the terms starting with `q`.
"""

from django.db import models


class Side(models.TextChoices):
    FRENCH = "fr", "fr"
    OCCITAN = "oc", "oc"


class Term(models.Model):
    term = models.CharField(max_length=300)
    side = models.CharField(max_length=2, choices=Side.choices)
    # The term is a whole form (« ostal »), not a word inside one (« boria »).
    start = models.BooleanField(default=True)
    # Copied from the row on each save, so that a lookup reads the terms alone: whether the
    # row is public, and its place in the model's order (Entry.fr_key, Expression.oc_key).
    live = models.BooleanField(default=False)
    sort_key = models.TextField(default="")
    entry = models.ForeignKey(
        "occitan.Entry", null=True, on_delete=models.CASCADE, related_name="terms"
    )
    expression = models.ForeignKey(
        "occitan.Expression", null=True, on_delete=models.CASCADE, related_name="terms"
    )

    class Meta:
        indexes = [models.Index(fields=["side", "term"], name="occitan_term_side_term")]

    def __str__(self):
        return self.term
