"""Provisioning, new sites in batches: what Provisioner._provision() makes for one new
collectivité, made for up to BATCH_SIZE of them of one blueprint, one statement a table.

One by one, a new site costs some sixty statements and a commit; across France that is most
of the run. A batch is one transaction: all its sites are made, or none. When anything in it
fails, its collectivités are made again one by one, each in its own transaction, so that a
bad one fails alone and is reported as a one-by-one run reports it.

Only what has nothing made yet goes in a batch: no site, home page, collection, workflow,
page record or group (a run cut short leaves none of these half made: its batches were
rolled back whole). Anything else (an update, a site to complete, a slug or a hostname
already taken) goes one by one, as before. sitefactory/tests/test_batches.py checks that a
batch makes what one-by-one makes.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Site,
    Task,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from communes.models import Collectivite, CollectiviteGroup
from sitefactory.models import ProvisionedPage
from sitefactory.services.blueprints import hostname_for, placeholders
from sitefactory.services.groups import bulk_create_with_pks, insert_permission_rows, new_group_name
from sitefactory.services.report import CREATED, Outcome
from sitefactory.services.site_pages import children_with_slugs, site_tree
from sitefactory.services.tree import add_collections, count_children, reserve_steps

BATCH_SIZE = 25
# What provisioning writes on a collectivité's row, in a batch or one by one.
SAVED_FIELDS = [
    "status",
    "hostname",
    "site",
    "home_page",
    "collection",
    "workflow",
    "provision_fingerprint",
    "provisioned_blueprint",
    "provisioned_at",
]


def is_new(c) -> bool:
    """Nothing of this collectivité's site is made yet, as far as its row says."""
    return not (
        c.is_pays
        or c.status == Collectivite.Status.ARCHIVED
        or c.site_id
        or c.home_page_id
        or c.collection_id
        or c.workflow_id
    )


class BatchMixin:
    """New sites in batches; part of the Provisioner."""

    def create_batch(self, blueprint, items) -> tuple[list[Outcome], list]:
        """Make the sites of `items` (new, of `blueprint`) in one transaction. Returns their
        outcomes, and the collectivités left for one-by-one provisioning.

        Outside a transaction, the homes' path steps are reserved first (tree.reserve_steps),
        and the rows every batch shares (the parent page, the root collection) are locked
        only at the end: workers side by side wait for each other only there."""
        first_step = None
        if not transaction.get_connection().in_atomic_block:
            first_step = reserve_steps(self._parent_page(blueprint), len(items))
        with transaction.atomic():
            batch = self._batchable(blueprint, items)
            if len(batch) < 2:
                return [], items  # one by one; steps reserved, if any, stay a gap
            outcomes = self._create(blueprint, batch, first_step)
        made = {c.pk for c in batch}
        return outcomes, [c for c in items if c.pk not in made]

    def _batchable(self, blueprint, items):
        """The collectivités of `items` that can go in this batch, locked."""
        ids = [c.pk for c in items]
        rows = Collectivite.objects.select_for_update(of=("self",)).select_related("epci")
        rows = {c.pk: c for c in rows.filter(pk__in=ids)}
        started = set(
            ProvisionedPage.objects.filter(collectivite__in=ids).values_list(
                "collectivite_id", flat=True
            )
        ) | set(
            CollectiviteGroup.objects.filter(collectivite__in=ids).values_list(
                "collectivite_id", flat=True
            )
        )
        candidates = [rows[pk] for pk in ids if pk in rows and is_new(rows[pk])]
        candidates = [c for c in candidates if c.pk not in started]
        parent = self._parent_page(blueprint)
        slugs = [c.slug for c in candidates]
        taken = set(children_with_slugs(parent, slugs).values_list("slug", flat=True))
        hostnames = set(
            Site.objects.filter(hostname__in=[hostname_for(c) for c in candidates]).values_list(
                "hostname", flat=True
            )
        )
        batch, seen = [], set()
        for c in candidates:
            if c.slug not in taken and c.slug not in seen and hostname_for(c) not in hostnames:
                seen.add(c.slug)
                batch.append(c)
        return batch

    def _create(self, blueprint, batch, first_step) -> list[Outcome]:
        outcomes = {c.pk: Outcome(c, CREATED, blueprint.name, batched=True) for c in batch}
        contexts = {c.pk: placeholders(c, self.pays_name()) for c in batch}
        specs = (blueprint.home, *blueprint.pages)
        trees = [
            site_tree(c, blueprint, {s.key: s.render(contexts[c.pk]) for s in specs}) for c in batch
        ]
        parent = self._parent_page(blueprint)
        self._insert_site_trees(parent, trees, outcomes, first_step=first_step)
        homes = {t.collectivite.pk: t.home for t in trees}
        sites = self._new_sites(batch, homes, outcomes)
        groups = self._new_groups(blueprint, batch, contexts)
        workflows, said = self._new_workflows(blueprint, batch, contexts, homes, groups)
        # The rows every batch shares, locked until the commit: the parent page first, as
        # one-by-one provisioning locks it, then the root collection.
        if first_step is not None:
            count_children(parent, len(trees))
        collections = add_collections(self.root_collection(), [c.name for c in batch])
        collections = dict(zip([c.pk for c in batch], collections, strict=True))
        rows = ([], [], [])
        for c in batch:
            # In the order one-by-one provisioning says things.
            outcomes[c.pk].changes.append("collection créée")
            made = self._group_permission_rows(
                blueprint,
                groups[c.pk],
                list(groups[c.pk]),
                homes[c.pk],
                collections[c.pk],
                outcomes[c.pk],
            )
            for into, more in zip(rows, made, strict=True):
                into.extend(more)
            outcomes[c.pk].changes.extend(said.get(c.pk, []))
        insert_permission_rows(rows)
        now = timezone.now()
        for c in batch:
            c.status = Collectivite.Status.PROVISIONED
            c.hostname = sites[c.pk].hostname
            c.site = sites[c.pk]
            c.home_page = homes[c.pk]
            c.collection = collections[c.pk]
            c.workflow = workflows.get(c.pk)
            c.provision_fingerprint = self.fingerprint(c, blueprint)
            c.provisioned_blueprint = blueprint.name
            c.provisioned_at = now
        Collectivite.objects.bulk_update(batch, SAVED_FIELDS)
        # What save() would have told the rest of Bastide (and Wagtail), for each row.
        for c in batch:
            post_save.send(Collectivite, instance=c, created=False, update_fields=SAVED_FIELDS)
        return [outcomes[c.pk] for c in batch]

    def _new_sites(self, batch, homes, outcomes):
        sites = {
            c.pk: Site(
                hostname=hostname_for(c),
                port=settings.SITE_PORT,
                root_page_id=homes[c.pk].pk,
                site_name=c.name,
                is_default_site=False,
            )
            for c in batch
        }
        bulk_create_with_pks(Site, list(sites.values()))
        for c in batch:
            post_save.send(Site, instance=sites[c.pk], created=True, update_fields=None)
            outcomes[c.pk].changes.append(f"site {sites[c.pk].hostname} créé")
        return sites

    def _new_groups(self, blueprint, batch, contexts):
        """The groups of each collectivité, made; their permissions come with the
        collections (_create)."""
        names = {
            c.pk: {s.key: s.name.format_map(contexts[c.pk])[:150] for s in blueprint.groups}
            for c in batch
        }
        every_name = {name for by_key in names.values() for name in by_key.values()}
        taken = set(Group.objects.filter(name__in=every_name).values_list("name", flat=True))
        groups = {}
        for c in batch:
            groups[c.pk] = {}
            for spec in blueprint.groups:
                group = Group(name=new_group_name(names[c.pk][spec.key], c, taken))
                taken.add(group.name)
                groups[c.pk][spec.key] = group
        bulk_create_with_pks(Group, [g for by_key in groups.values() for g in by_key.values()])
        CollectiviteGroup.objects.bulk_create(
            CollectiviteGroup(collectivite=c, role=key, group=group)
            for c in batch
            for key, group in groups[c.pk].items()
        )
        return groups

    def _new_workflows(self, blueprint, batch, contexts, homes, groups):
        """The workflows, made; and what to say of them, by collectivité."""
        spec = blueprint.workflow
        said = {c.pk: [] for c in batch}
        if spec is None:
            return {}, said
        workflows = {c.pk: Workflow(name=spec.name.format_map(contexts[c.pk])[:255]) for c in batch}
        bulk_create_with_pks(Workflow, list(workflows.values()))
        task_type = ContentType.objects.get_for_model(GroupApprovalTask)
        bases = {
            c.pk: Task(name=spec.task.format_map(contexts[c.pk])[:255], content_type=task_type)
            for c in batch
        }
        bulk_create_with_pks(Task, list(bases.values()))
        tasks = {}
        for pk, base in bases.items():
            tasks[pk] = GroupApprovalTask(id=base.pk, task_ptr_id=base.pk, name=base.name)
            tasks[pk].content_type_id = task_type.pk
        GroupApprovalTask._base_manager._insert(
            list(tasks.values()), fields=[GroupApprovalTask._meta.pk], raw=True
        )
        for task in tasks.values():
            task._state.adding = False
        through = GroupApprovalTask.groups.through
        approvers = []
        for c in batch:
            if c.approval_by_elus and "elus" in groups[c.pk]:
                chosen = [groups[c.pk]["elus"]]
            else:
                chosen = self._approver_groups(spec, groups[c.pk])
            approvers += [
                through(groupapprovaltask_id=tasks[c.pk].pk, group_id=g.pk) for g in chosen
            ]
            said[c.pk].append(f"circuit de validation « {workflows[c.pk].name} » créé")
            if c.approval_by_elus and "elus" in groups[c.pk]:
                said[c.pk].append("validation confiée : élus")
        through.objects.bulk_create(approvers)
        WorkflowTask.objects.bulk_create(
            WorkflowTask(workflow=workflows[c.pk], task=tasks[c.pk], sort_order=0) for c in batch
        )
        WorkflowPage.objects.bulk_create(
            WorkflowPage(workflow=workflows[c.pk], page=homes[c.pk]) for c in batch
        )
        for label in spec.snippets:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            WorkflowContentType.objects.get_or_create(
                content_type=content_type, defaults={"workflow": workflows[batch[0].pk]}
            )
        return workflows, said
