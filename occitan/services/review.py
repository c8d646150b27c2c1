"""Review of the lexicon: where an entry or expression stands, and what blocks publishing.

Entries and expressions go through the « Relecture occitane » workflow (provisioned from the
Pays blueprint): saved « à relire » (`live` False), submitted, then approved by a reviewer of
the « Occitan — relecture » group, or published directly by the Pays team. A recording
heard on a public page must say what it says: no publication while its transcript is empty.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

TRANSCRIPT_REQUIRED = _(
    "L'enregistrement « %(title)s » n'a pas de transcription : écrivez ce qui est dit "
    "avant de publier ou de soumettre à la relecture."
)

# The statuses shown in the admin listings and offered by their filter.
PUBLISHED = "publie"
CHANGED = "modifie"
IN_REVIEW = "en-relecture"
TO_REVIEW = "a-relire"
STATUS_LABELS = {
    PUBLISHED: _("publié"),
    CHANGED: _("publié, modifications à relire"),
    IN_REVIEW: _("en relecture"),
    TO_REVIEW: _("à relire"),
}
STATUS_FILTER_CHOICES = [
    (TO_REVIEW, _("à relire (pas encore publié)")),
    (IN_REVIEW, _("en relecture")),
    (CHANGED, _("publié, modifications à relire")),
    (PUBLISHED, _("publié")),
]


def publish_problem(item):
    """Why `item` (an entry or expression, as it would be published) may not be, or None."""
    recording = item.recording
    if recording is not None and not recording.transcript.strip():
        return TRANSCRIPT_REQUIRED % {"title": recording.title}
    return None


def with_review_state(queryset):
    """Annotate `in_review`: a workflow is in progress on the row."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    states = WorkflowState.objects.filter(
        base_content_type=content_type,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return queryset.annotate(in_review=Exists(states))


def status_of(item):
    if getattr(item, "in_review", False):
        return IN_REVIEW
    if not item.live:
        return TO_REVIEW
    return CHANGED if item.has_unpublished_changes else PUBLISHED


def filter_status(queryset, status):
    """Rows of one status (on a queryset annotated by with_review_state)."""
    if status == IN_REVIEW:
        return queryset.filter(in_review=True)
    if status == TO_REVIEW:
        return queryset.filter(live=False, in_review=False)
    if status == CHANGED:
        return queryset.filter(live=True, has_unpublished_changes=True, in_review=False)
    if status == PUBLISHED:
        return queryset.filter(Q(live=True, has_unpublished_changes=False, in_review=False))
    return queryset
