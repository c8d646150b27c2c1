"""The Pays team's interventions on the collectivités' sites, month by month (docs/quality.md,
« Interventions du Pays »).

One intervention is one member of the Pays team acting, on one day (Paris time), on the
content or the accounts of one collectivité: ten corrections on Lalinde's pages by the same
person on the same afternoon are one intervention, as the Pays counted them by hand. Read from
Wagtail's audit log: page log entries (placed by the page's path under a home page) and model
log entries (snippets by their site, EPCI or collectivité, media by their collection, and the
accounts actions of accounts.admin_editors, logged on the collectivité itself).

Not counted: moderation — approving or requesting changes is the ordinary workflow, not a
manual intervention — so every `wagtail.workflow.*` entry, the publication Wagtail logs with
an approval (same log uuid) and comments; what no one of the Pays team did (secretaries,
commands, scheduled publishing); the Pays's own site; entries of deleted objects that can no
longer be placed.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry, PageLogEntry

from communes.locator import OWNER_FIELDS, CollectiviteLocator
from communes.models import Collectivite, CollectiviteGroup
from communes.tenancy import PAYS_TEAM_ROLE

BASELINE = 365  # the Pays's manual interventions in a year before Bastide
ROLLING_MONTHS = 12
MODERATION = Q(action__startswith="wagtail.workflow.") | Q(action__startswith="wagtail.comments")
APPROVAL = "wagtail.workflow.approve"


@dataclass
class CollectiviteInterventions:
    collectivite: Collectivite
    days: set = field(default_factory=set)  # (user id, date)
    kinds: Counter = field(default_factory=Counter)  # action label -> entries
    people: set = field(default_factory=set)

    @property
    def count(self):
        return len(self.days)

    @property
    def kinds_display(self):
        return ", ".join(f"{label} ({n})" for label, n in self.kinds.most_common())

    @property
    def people_display(self):
        return ", ".join(sorted(self.people))


@dataclass
class InterventionsReport:
    month: datetime.date  # its first day
    rows: list
    rolling_total: int
    baseline: int = BASELINE

    @property
    def total(self):
        return sum(row.count for row in self.rows)

    @property
    def over_baseline(self):
        return self.rolling_total >= self.baseline


def add_months(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def pays_team_ids():
    groups = CollectiviteGroup.objects.filter(
        collectivite__kind=Collectivite.Kind.PAYS, role=PAYS_TEAM_ROLE
    ).values("group_id")
    users = get_user_model().objects.filter(Q(groups__in=groups) | Q(is_superuser=True))
    return set(users.values_list("pk", flat=True))


def _entries(model, start, end, staff):
    within = model.objects.filter(timestamp__gte=start, timestamp__lt=end, user_id__in=staff)
    approvals = within.filter(action=APPROVAL, uuid__isnull=False).values("uuid")
    return (
        within.exclude(MODERATION)
        .exclude(action="wagtail.publish", uuid__in=approvals)
        .select_related("user")
    )


def _model_entry_owners(entries, locator):
    """{(content type id, object id): Collectivite} for the model log entries, one query per
    content type that names its collectivité."""
    ids = defaultdict(set)
    for entry in entries:
        ids[entry.content_type_id].add(entry.object_id)
    owners = {}
    for content_type_id, object_ids in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        if model is Collectivite:
            for object_id in object_ids:
                found = locator.by_id.get(int(object_id)) if object_id.isdigit() else None
                owners[(content_type_id, object_id)] = found
            continue
        names = {f.name for f in model._meta.concrete_fields}
        owner = next((name for name in OWNER_FIELDS if name in names), None)
        if owner is None:
            continue
        column = "collection__path" if owner == "collection" else f"{owner}_id"
        for pk, value in model._default_manager.filter(pk__in=object_ids).values_list("pk", column):
            if value is None:
                continue
            if owner == "collection":
                found = locator.for_collection_path(value)
            elif owner == "site":
                found = locator.by_site_id.get(value)
            else:
                found = locator.by_id.get(value)
            owners[(content_type_id, str(pk))] = found
    return owners


def action_label(action):
    try:
        return str(log_action_registry.get_action_label(action))
    except KeyError:  # an action no installed app registers any more
        return action


def interventions_report(month):
    """The interventions of `month` (any date in it) per collectivité, and the total of the
    twelve months that end with it."""
    month = month.replace(day=1)
    start, end = add_months(month, 1 - ROLLING_MONTHS), add_months(month, 1)
    staff = pays_team_ids()
    locator = CollectiviteLocator()
    placed = []  # (collectivite, entry)
    page_entries = _entries(PageLogEntry, _aware(start), _aware(end), staff).select_related("page")
    for entry in page_entries.only("user", "action", "timestamp", "page__path", "page__depth"):
        page = entry.page if entry.page_id else None
        path = getattr(page, "path", None)
        placed.append((locator.for_page_path(path) if path else None, entry))
    model_entries = list(_entries(ModelLogEntry, _aware(start), _aware(end), staff))
    owners = _model_entry_owners(model_entries, locator)
    placed.extend(
        (owners.get((entry.content_type_id, entry.object_id)), entry) for entry in model_entries
    )
    by_collectivite = {}
    rolling = set()
    for collectivite, entry in placed:
        if collectivite is None or collectivite.is_pays:
            continue
        day = timezone.localtime(entry.timestamp).date()
        key = (entry.user_id, day)
        rolling.add((collectivite.pk, *key))
        if day < month:
            continue
        row = by_collectivite.setdefault(collectivite.pk, CollectiviteInterventions(collectivite))
        row.days.add(key)
        row.kinds[action_label(entry.action)] += 1
        row.people.add(entry.user.get_full_name() or entry.user.get_username())
    rows = sorted(by_collectivite.values(), key=lambda row: (-row.count, row.collectivite.name))
    return InterventionsReport(month=month, rows=rows, rolling_total=len(rolling))
