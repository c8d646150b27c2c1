"""Which places the imported fiches send people to that the directory has no category for."""

from collections import Counter

from django.utils.translation import gettext as _

from directory.models import Category, Fiche


def unmapped_pivots(fiche_ids):
    """Counter {pivot code: number of fiches citing it} over `fiche_ids`, for the codes no
    category lists."""
    mapped = set()
    for codes in Category.objects.values_list("service_public_types", flat=True):
        mapped.update(codes or [])
    wanted = set(fiche_ids)
    counts = Counter()
    for fiche_id, pivots in Fiche.objects.values_list("fiche_id", "pivots").iterator():
        if fiche_id in wanted:
            counts.update(code for code in set(pivots or []) if code not in mapped)
    return counts


def unmapped_pivots_note(fiche_ids):
    counts = unmapped_pivots(fiche_ids)
    if not counts:
        return ""
    listed = ", ".join(f"{code} ×{n}" for code, n in sorted(counts.items(), key=_most_first))
    return _("types de service local sans catégorie (%(count)d) : %(codes)s") % {
        "count": len(counts),
        "codes": listed,
    }


def _most_first(item):
    return (-item[1], item[0])
