"""The communes still without a real photo, from the last sync's statuses: for the admin's
report and its CSV export, and for the « appel à photos » the Pays runs for them."""

from django.db.models import Case, CharField, F, IntegerField, Q, Value, When

from communes.models import Collectivite
from photos.models import CommunePhotoStatus

NEVER = "never"
NONE = "none"
ARMS = "arms"


def category_labels():
    from django.utils.translation import gettext as _

    return {
        NEVER: _("jamais synchronisée"),
        NONE: _("pas de photo sur Wikidata"),
        ARMS: _("seulement un blason"),
    }


def _labelled(field, labels):
    return Case(
        *(When(**{field: key}, then=Value(str(label))) for key, label in labels.items()),
        default=Value(""),
        output_field=CharField(),
    )


def missing_photos():
    """Communes of the Pays with no photo of their own from Wikidata: never synced, no P18
    (outcome « missing », or a failure before any file was found), or only a coat of arms
    (P94 but no P18). A commune that keeps its own photo (outcome « skipped ») is not one."""
    labels = category_labels()
    communes = (
        Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE, merged_into=None)
        .exclude(status=Collectivite.Status.ARCHIVED)
        .filter(
            Q(photo_status__isnull=True)
            | (
                Q(photo_status__photo_file="")
                & ~Q(photo_status__outcome=CommunePhotoStatus.Outcome.SKIPPED)
            )
        )
        .annotate(
            category=Case(
                When(photo_status__isnull=True, then=Value(NEVER)),
                When(~Q(photo_status__arms_file=""), then=Value(ARMS)),
                default=Value(NONE),
                output_field=CharField(),
            ),
            outcome=_labelled("photo_status__outcome", dict(CommunePhotoStatus.Outcome.choices)),
            reason_text=F("photo_status__reason"),
            arms_file=F("photo_status__arms_file"),
            item=F("photo_status__wikidata_id"),
            synced_at=F("photo_status__synced_at"),
        )
    )
    # No P18 first, then only a coat of arms, then the communes never synced.
    rank = Case(
        When(category=NONE, then=Value(0)),
        When(category=ARMS, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return communes.annotate(category_label=_labelled("category", labels), rank=rank).order_by(
        "rank", "name"
    )
