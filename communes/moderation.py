"""What waits for moderation, told for people: which collectivité, which page, who asked, when,
and where to read the change.

Wagtail lists pending task states by title alone; a reviewer of the Pays team approves for
175 collectivités, whose pages are all called « Actualités » or « Mairie ». Each item here
names its collectivité (communes.locator) and carries the links a reviewer needs: the edit
view, the diff between the revision under review and the live one (or the previous revision
of a page never published), the preview, and Wagtail's own workflow actions (approve,
request changes), which stay Wagtail's views.
"""

from dataclasses import dataclass, field

from django.contrib.admin.utils import quote
from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import AbstractGroupApprovalTask, GroupApprovalTask, Page, Revision, TaskState

from communes.locator import CollectiviteLocator
from communes.reach import generic_relation_filter
from communes.tenancy import tenancy_for


@dataclass
class PendingItem:
    obj: object
    collectivite: object
    task_state: TaskState
    revision: Revision
    is_page: bool
    edit_url: str = ""
    compare_url: str = ""
    preview_url: str = ""
    actions: list = field(default_factory=list)  # (label, url, needs a comment form)

    @property
    def title(self):
        return self.revision.object_str or str(self.obj)

    @property
    def author(self):
        return self.revision.user or self.task_state.workflow_state.requested_by

    @property
    def submitted_at(self):
        return self.task_state.started_at

    @property
    def task_name(self):
        return self.task_state.task.name

    @property
    def kind_label(self):
        return self.obj._meta.verbose_name

    @property
    def label(self):
        """« Commune — Page title »."""
        if self.collectivite is None:
            return self.title
        return f"{self.collectivite.name} — {self.title}"


def pending_task_states(user):
    """Task states in progress that `user` may act on or follow: all of them for the Pays team,
    else those Wagtail lets the user moderate (élus approving for their commune), narrowed to
    the user's collectivités."""
    tenancy = tenancy_for(user)
    states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    if not tenancy.is_pays_staff:
        # What TaskState.objects.reviewable_by() answers for group approval tasks (the only
        # kind Bastide provisions), in one query instead of one per task (one per commune).
        states = states.filter(task__in=_tasks_of_groups(user))
        states = generic_relation_filter(
            tenancy, states, "workflow_state__base_content_type_id", "workflow_state__object_id"
        )
    return (
        states.select_related("revision", "revision__user", "task", "workflow_state")
        .select_related("workflow_state__requested_by")
        .prefetch_related("revision__content_object")
        .annotate(previous_revision_id=Revision.objects.previous_revision_id_subquery())
        .order_by("-started_at")
    )


def _tasks_of_groups(user):
    return GroupApprovalTask.objects.filter(groups__in=user.groups.all()).values("pk")


class ActionsOfUser:
    """Wagtail's task.get_actions(), asked once per kind of group approval task: a task of
    each collectivité, the same actions, and one query per task otherwise."""

    def __init__(self, user):
        self.user = user
        if user.is_superuser:
            self.moderated = None
        else:
            self.moderated = set(_tasks_of_groups(user).values_list("pk", flat=True))
        self.by_class = {}

    def __call__(self, task, obj):
        klass = task.specific_class
        if klass is None or not issubclass(klass, AbstractGroupApprovalTask):
            return task.specific.get_actions(obj, self.user)
        if self.moderated is not None and task.pk not in self.moderated:
            return []
        if klass not in self.by_class:
            self.by_class[klass] = task.specific.get_actions(obj, self.user)
        return self.by_class[klass]


def _url_names(obj):
    if isinstance(obj, Page):
        return {
            "action": "wagtailadmin_pages:workflow_action",
            "preview": "wagtailadmin_pages:workflow_preview",
            "compare": "wagtailadmin_pages:revisions_compare",
        }
    viewset = obj.snippet_viewset
    return {
        "action": viewset.get_url_name("workflow_action"),
        "preview": viewset.get_url_name("workflow_preview"),
        "compare": viewset.get_url_name("revisions_compare"),
    }


def in_scope(item, collectivite_id=None, epci_id=None):
    """Whether an item is of one collectivité, or of one EPCI and its communes."""
    c = item.collectivite
    if collectivite_id and (c is None or c.pk != collectivite_id):
        return False
    return not epci_id or (c is not None and epci_id in (c.pk, c.epci_id))


def pending_items(user, states=None):
    """PendingItems of the task states (by default, those of pending_task_states)."""
    states = list(pending_task_states(user) if states is None else states)
    # Only the collectivités of what is pending: the registry may hold 35,000 (issue #21).
    locator = CollectiviteLocator(
        [state.revision.content_object for state in states if state.revision_id]
    )
    finder = AdminURLFinder(user)
    actions_of = ActionsOfUser(user)
    items = []
    for state in states:
        obj = state.revision.content_object if state.revision_id else None
        if obj is None:  # the object was deleted under a workflow Wagtail left behind
            continue
        is_page = isinstance(obj, Page)
        collectivite = locator.for_pays_wide(obj)
        names = _url_names(obj)
        pk = quote(obj.pk)
        item = PendingItem(obj, collectivite, state, state.revision, is_page)
        item.edit_url = finder.get_edit_url(obj) or ""
        if obj.live_revision_id:
            item.compare_url = reverse(names["compare"], args=[pk, "live", state.revision_id])
        elif state.previous_revision_id:
            item.compare_url = reverse(
                names["compare"], args=[pk, state.previous_revision_id, state.revision_id]
            )
        if hasattr(obj, "is_previewable") and obj.is_previewable():
            item.preview_url = reverse(names["preview"], args=[pk, state.task_id])
        for action, label, modal in actions_of(state.task, obj):
            url = reverse(names["action"], args=[pk, action, state.pk])
            item.actions.append((label, url, modal))
        items.append(item)
    return items
