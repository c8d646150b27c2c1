"""The dashboard's rows: which collectivités, filtered and sorted, and their CSV export."""

import csv
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from communes.exports import neutralise_formula
from communes.models import Collectivite
from quality.services.checks import site_quality

# ?ordering= keys: how to sort the rows (None last whichever the direction).
ORDERINGS = {
    "name": lambda q: q.collectivite.name.lower(),
    "epci": lambda q: q.collectivite.epci.name if q.collectivite.epci_id else "",
    "score": lambda q: q.score,
    "last_edit": lambda q: q.last_edit,
    "last_publication": lambda q: q.last_publication,
    "news_age": lambda q: q.news_age,
    "minutes_age": lambda q: q.minutes_age,
    "pending": lambda q: len(q.pending),
    "todos": lambda q: len(q.todos),
    "issues": lambda q: sum(q.facts.issues.values()),
}
DEFAULT_ORDERING = "score"


def collectivites(epci=None, query=""):
    """The provisioned collectivités (not the Pays), of one EPCI when given (the EPCI itself
    included), whose name or code contains `query`."""
    queryset = Collectivite.objects.members().provisioned().select_related("epci")
    if epci:
        queryset = queryset.filter(pk=epci) | queryset.filter(epci_id=epci)
    if query:
        queryset = queryset.filter(name__icontains=query) | queryset.filter(code=query)
    return queryset.order_by("name")


def epcis():
    return Collectivite.objects.filter(kind=Collectivite.Kind.EPCI).order_by("name")


def rows(epci=None, query="", ordering=DEFAULT_ORDERING):
    """SiteQuality of each collectivité, sorted; unknown orderings fall back to the score."""
    qualities = site_quality(collectivites(epci, query))
    key = ORDERINGS.get(ordering.lstrip("-"), ORDERINGS[DEFAULT_ORDERING])
    present = [q for q in qualities if key(q) is not None]
    absent = [q for q in qualities if key(q) is None]
    # Ties keep the A–Z order of collectivites().
    present.sort(key=key, reverse=ordering.startswith("-"))
    return present + absent


def _date(value):
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else ""


def _number(value):
    return "" if value is None else value


HEADINGS = (
    _("Collectivité"),
    _("Code"),
    _("EPCI"),
    _("Score"),
    _("Dernière modification"),
    _("Dernière publication"),
    _("Dernière actualité (jours)"),
    _("Dernier procès-verbal (jours)"),
    _("En attente de modération"),
    _("Liens cassés"),
    _("Images sans texte alternatif"),
    _("Documents non accessibles"),
    _("À faire"),
)


def export_csv(qualities) -> str:
    """The rows as CSV (semicolons, for French spreadsheets); no cell is a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(heading)) for heading in HEADINGS])
    for q in qualities:
        c = q.collectivite
        cells = [
            c.name,
            c.code,
            c.epci.name if c.epci_id else "",
            q.score,
            _date(q.last_edit),
            _date(q.last_publication),
            _number(q.news_age),
            _number(q.minutes_age),
            len(q.pending),
            q.broken_links,
            q.images_without_alt,
            q.inaccessible_documents,
            " ; ".join(todo.label for todo in q.todos),
        ]
        writer.writerow([neutralise_formula(cell) for cell in cells])
    return buffer.getvalue()
