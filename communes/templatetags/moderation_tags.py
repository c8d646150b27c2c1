"""What the moderation emails say beyond Wagtail's context: the collectivité, and the
reviewer's comment on an approval (Wagtail passes it on a rejection only)."""

from django import template
from wagtail.models import TaskState

from communes.locator import CollectiviteLocator

register = template.Library()


@register.simple_tag
def moderation_facts(obj):
    locator = CollectiviteLocator([obj])
    owner = locator.for_object(obj)
    collectivite = owner or locator.pays
    last = (
        TaskState.objects.for_instance(obj)
        .exclude(finished_at=None)
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
    return {
        "collectivite": collectivite.name if collectivite else "",
        # What belongs to no collectivité (the Occitan lexicon) is on no one site.
        "site_name": owner.name if owner else "",
        "comment": last.specific.get_comment() if last else "",
        "reviewer": last.finished_by if last else None,
    }
