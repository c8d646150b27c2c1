"""Provisioning: make (or bring up to date) the site of each collectivité from its blueprint.

One collectivité = one transaction. A re-run whose registry entry and blueprint have not
changed is recognised from a fingerprint and costs no query. When they have changed, the
factory adds what is missing, updates the pages nobody has edited since, and leaves alone
every page an editor has touched.
"""

import copy
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from communes.models import Collectivite, CollectiviteGroup
from sitefactory.models import ProvisionedPage, ProvisioningLog
from sitefactory.services.blueprints import (
    Blueprint,
    BlueprintError,
    blueprint_for,
    hostname_for,
    placeholders,
)
from sitefactory.services.revisions import add_revisions
from sitefactory.services.tree import Node, add_collection, insert_subtree

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
REPLAN_EVERY = 50  # collectivités


class ProvisioningError(Exception):
    pass


class _DryRunRollback(Exception):
    pass


@dataclass
class Outcome:
    collectivite: Collectivite
    result: str
    blueprint: str = ""
    changes: list[str] = field(default_factory=list)
    error: str = ""
    new_page_ids: list[int] = field(default_factory=list)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    # Pages made before the factory wrote revisions, given their first one by this run.
    initial_revisions: int = 0

    def count(self, result):
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def summary(self):
        return (
            f"created {self.count(CREATED)}, updated {self.count(UPDATED)}, "
            f"unchanged {self.count(UNCHANGED)}, failed {self.count(FAILED)}"
        )


def provisioning_order(queryset):
    """The Pays first (everything hangs below its portal), then groupings, then communes."""
    order = {Collectivite.Kind.PAYS: 0, Collectivite.Kind.EPCI: 1, Collectivite.Kind.SYNDICAT: 2}
    items = list(queryset.select_related("epci"))
    return sorted(items, key=lambda c: (order.get(c.kind, 3), c.name))


class Provisioner:
    def __init__(self, *, blueprint: str | None = None, dry_run=False, user=None):
        self.blueprint_override = blueprint
        self.dry_run = dry_run
        self.user = user
        self._permissions = {}
        self._locale = None
        self._pays = None
        self._forget_pays_objects()

    def _forget_pays_objects(self):
        # Rows of the Pays that every collectivité hangs from, read once per run. Forgotten
        # when a collectivité fails, in case what failed was one of them.
        self._pays_pages = {}
        self._pays_groups = {}
        self._root_collection = None

    # -- public API ----------------------------------------------------------------------------

    def run(
        self,
        collectivites: Iterable[Collectivite],
        progress: Callable[[int, int, Outcome], None] | None = None,
    ) -> Report:
        items = list(collectivites)
        report = Report(dry_run=self.dry_run)
        self._forget_pays_objects()

        def loop():
            report.initial_revisions = add_missing_revisions(items)
            for position, collectivite in enumerate(items, start=1):
                if position % REPLAN_EVERY == 0:
                    _replan_foreign_key_checks()
                outcome = self.provision(collectivite)
                report.outcomes.append(outcome)
                if progress:
                    progress(position, len(items), outcome)

        if self.dry_run:
            # Everything happens, each collectivité in its savepoint, then all is rolled back:
            # the report says exactly what a real run would do.
            try:
                with transaction.atomic():
                    loop()
                    raise _DryRunRollback
            except _DryRunRollback:
                pass
        else:
            loop()
            self._log(report)
        return report

    def provision(self, collectivite: Collectivite) -> Outcome:
        try:
            blueprint = blueprint_for(collectivite, self.blueprint_override)
        except BlueprintError as exc:
            return Outcome(collectivite, FAILED, error=str(exc))
        if collectivite.kind not in blueprint.kinds:
            return Outcome(
                collectivite,
                FAILED,
                blueprint.name,
                error=f"le modèle « {blueprint.name} » ne s'applique pas au type "
                f"« {collectivite.get_kind_display()} »",
            )
        if collectivite.status == Collectivite.Status.ARCHIVED:
            return Outcome(collectivite, UNCHANGED, blueprint.name, ["archivée : non modifiée"])
        fingerprint = self.fingerprint(collectivite, blueprint)
        if (
            collectivite.status == Collectivite.Status.PROVISIONED
            and collectivite.provision_fingerprint == fingerprint
            and collectivite.site_id
            and collectivite.home_page_id
        ):
            return Outcome(collectivite, UNCHANGED, blueprint.name)
        try:
            with transaction.atomic():
                outcome = self._provision(collectivite, blueprint, fingerprint)
        except (ProvisioningError, BlueprintError) as exc:
            outcome = Outcome(collectivite, FAILED, blueprint.name, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - one failure must not stop the run
            outcome = Outcome(
                collectivite, FAILED, blueprint.name, error=f"{type(exc).__name__}: {exc}"
            )
        if outcome.result == FAILED:
            self._forget_pays_objects()
        if not self.dry_run and outcome.new_page_ids:
            enqueue_indexing(outcome.new_page_ids)
        return outcome

    def fingerprint(self, collectivite: Collectivite, blueprint: Blueprint) -> str:
        """What the site is made from: a change here means the site needs a look."""
        epci = collectivite.epci
        payload = {
            "blueprint": [blueprint.name, blueprint.digest],
            "registry": [
                collectivite.kind,
                collectivite.code,
                collectivite.name,
                collectivite.slug,
                collectivite.postcodes,
                collectivite.population,
                collectivite.epci_id,
                epci.name if epci else "",
                collectivite.outside_epci_name,
                collectivite.approval_by_elus,
                self.pays_name(),
            ],
            "domain": [settings.PAYS_DOMAIN, settings.SITE_PORT],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]

    # -- one collectivité ----------------------------------------------------------------------

    def _provision(self, c: Collectivite, blueprint: Blueprint, fingerprint: str) -> Outcome:
        c = Collectivite.objects.select_for_update(of=("self",)).select_related("epci").get(pk=c.pk)
        outcome = Outcome(c, UNCHANGED, blueprint.name)
        context = placeholders(c, self.pays_name())
        records = ProvisionedPage.objects.filter(collectivite=c).select_related("page")
        existing = {pp.key: pp for pp in records}

        home = self._ensure_pages(c, blueprint, context, existing, outcome)
        site = self._ensure_site(c, home, outcome)
        collection = self._ensure_collection(c, outcome)
        groups = self._ensure_groups(c, blueprint, context, home, collection, outcome)
        self._ensure_workflow(c, blueprint, context, home, groups, outcome)

        if outcome.result == UNCHANGED and outcome.changes:
            outcome.result = UPDATED
        c.status = Collectivite.Status.PROVISIONED
        c.hostname = site.hostname
        c.site = site
        c.home_page = home
        c.collection = collection
        c.provision_fingerprint = fingerprint
        c.provisioned_blueprint = blueprint.name
        if outcome.result != UNCHANGED or not c.provisioned_at:
            c.provisioned_at = timezone.now()
        c.save(
            update_fields=[
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
        )
        outcome.collectivite = c
        return outcome

    def _parent_page(self, blueprint: Blueprint) -> Page:
        if blueprint.parent == "root":
            return Page.get_first_root_node()
        key = blueprint.parent.split(":", 1)[1]
        if key not in self._pays_pages:
            pp = ProvisionedPage.objects.filter(collectivite=self.pays(), key=key)
            pp = pp.select_related("page").first()
            if pp is None or pp.page is None:
                raise ProvisioningError(
                    f"le portail du Pays n'a pas de page « {key} » : provisionnez d'abord le Pays"
                )
            self._pays_pages[key] = pp.page
        return self._pays_pages[key]

    def _ensure_pages(self, c, blueprint, context, existing, outcome) -> Page:
        rendered = {spec.key: spec.render(context) for spec in (blueprint.home, *blueprint.pages)}
        home_record = existing.get("home")
        to_create = []  # RenderedPage, in blueprint order
        if home_record is None or home_record.page_id is None:
            parent = self._parent_page(blueprint)
            if _child_with_slug(parent, c.slug).exists():
                raise ProvisioningError(
                    f"une page « {c.slug} » existe déjà sous « {parent.title} » "
                    "sans avoir été faite par la fabrique"
                )
            home_spec = rendered["home"]
            home_page = home_spec.build()
            home_page.slug = c.slug
            nodes = {"home": Node(home_page)}
            for spec in blueprint.pages:
                nodes[spec.key] = Node(rendered[spec.key].build())
                nodes[spec.parent].children.append(nodes[spec.key])
            pages = insert_subtree(parent, [nodes["home"]], locale=self.locale())
            inlines = {
                nodes[k].page.pk: rendered[k].inline_objects(nodes[k].page)
                for k in nodes
                if rendered[k].inlines
            }
            _insert_inlines(inlines.values())
            revisions = add_revisions(pages, children=inlines)
            records = [
                ProvisionedPage(
                    collectivite=c,
                    key=k,
                    page=nodes[k].page,
                    fingerprint=rendered[k].fingerprint,
                    revision=revisions[nodes[k].page.pk],
                )
                for k in nodes
            ]
            if home_record is not None:
                ProvisionedPage.objects.filter(collectivite=c).delete()
            ProvisionedPage.objects.bulk_create(records)
            outcome.result = CREATED
            outcome.changes.append(f"{len(pages)} pages créées")
            outcome.new_page_ids.extend(p.pk for p in pages)
            return home_page

        home = Page.objects.get(pk=home_record.page_id).specific
        created_pages = {"home": home}
        for record in existing.values():
            if record.key != "home" and record.page_id and not _in_site(record.page, home):
                # Moved out of the site, to the recycle bin: deleted, as far as the factory
                # goes, until someone brings it back.
                record.page_id = None
        for spec in blueprint.pages:
            record = existing.get(spec.key)
            page_spec = rendered[spec.key]
            if record is None or (record.page_id is None and spec.required):
                to_create.append(page_spec)
            elif record.page_id is not None and record.fingerprint != page_spec.fingerprint:
                self._update_page(record, page_spec, outcome)
            if record is not None and record.page_id is not None:
                created_pages[spec.key] = record.page
        if home_record.fingerprint != rendered["home"].fingerprint:
            self._update_page(home_record, rendered["home"], outcome, keep_slug=True)
        for page_spec in to_create:
            parent = created_pages.get(page_spec.parent) or home
            page = page_spec.build()
            if _child_with_slug(parent, page.slug).exists():
                outcome.changes.append(
                    f"page « {page_spec.title} » non créée : le slug « {page.slug} » est pris"
                )
                continue
            insert_subtree(parent, [Node(page)], locale=self.locale())
            inlines = page_spec.inline_objects(page)
            _insert_inlines([inlines])
            revision = add_revisions([page], children={page.pk: inlines})[page.pk]
            ProvisionedPage.objects.update_or_create(
                collectivite=c,
                key=page_spec.key,
                defaults={
                    "page": page,
                    "fingerprint": page_spec.fingerprint,
                    "revision": revision,
                },
            )
            created_pages[page_spec.key] = page
            outcome.changes.append(f"page « {page_spec.title} » ajoutée")
            outcome.new_page_ids.append(page.pk)
        return home

    def _update_page(self, record, page_spec, outcome, keep_slug=False):
        page = record.page.specific
        if page.has_unpublished_changes or page.latest_revision_id not in (
            None,
            record.revision_id,
        ):
            # An editor has worked on this page: it is theirs now.
            outcome.changes.append(f"page « {page.title} » modifiée par un éditeur : conservée")
            record.fingerprint = page_spec.fingerprint
            record.save(update_fields=["fingerprint", "updated_at"])
            return
        page.title = page.draft_title = page_spec.title
        if not keep_slug:
            page.slug = page_spec.slug
        for name, value in page_spec.values.items():
            if name not in page_spec.inlines:  # child rows are set at creation only
                setattr(page, name, copy.deepcopy(value))
        page.save(clean=False)
        # A revision of its own, so that moderation compares against the blueprint's new text
        # and the old one stays in the history.
        record.revision = add_revisions([page])[page.pk]
        record.fingerprint = page_spec.fingerprint
        record.save(update_fields=["fingerprint", "revision", "updated_at"])
        outcome.changes.append(f"page « {page.title} » mise à jour")

    def _ensure_site(self, c, home, outcome) -> Site:
        hostname = hostname_for(c)
        site = Site.objects.filter(pk=c.site_id).first() if c.site_id else None
        if site is None:
            site = Site.objects.filter(hostname=hostname).first()
        if site is None and c.is_pays:
            site = Site.objects.filter(is_default_site=True).first()
        wanted = {
            "hostname": hostname,
            "port": settings.SITE_PORT,
            "root_page_id": home.pk,
            "site_name": c.name,
            "is_default_site": c.is_pays,
        }
        if site is None:
            site = Site.objects.create(**wanted)
            outcome.changes.append(f"site {hostname} créé")
        elif any(getattr(site, k) != v for k, v in wanted.items()):
            old_root = site.root_page_id
            for k, v in wanted.items():
                setattr(site, k, v)
            site.save()
            outcome.changes.append(f"site {hostname} mis à jour")
            if c.is_pays and old_root != home.pk:
                self._drop_wagtail_welcome_page(old_root)
        return site

    @staticmethod
    def _drop_wagtail_welcome_page(page_id):
        """A fresh Wagtail install has a bare 'Welcome' page; the portal replaces it."""
        page = Page.objects.filter(pk=page_id, depth=2, numchild=0).first()
        if page and page.content_type == ContentType.objects.get_for_model(Page):
            page.delete()

    def _ensure_collection(self, c, outcome) -> Collection:
        if c.collection_id:
            collection = Collection.objects.filter(pk=c.collection_id).first()
            if collection:
                if collection.name != c.name:
                    collection.name = c.name
                    collection.save(update_fields=["name"])
                    outcome.changes.append("collection renommée")
                return collection
        collection = add_collection(self.root_collection(), c.name)
        outcome.changes.append("collection créée")
        return collection

    def _ensure_groups(self, c, blueprint, context, home, collection, outcome) -> dict:
        links = {
            link.role: link.group
            for link in CollectiviteGroup.objects.filter(collectivite=c).select_related("group")
        }
        names = {spec.key: spec.name.format_map(context)[:150] for spec in blueprint.groups}
        taken = set(Group.objects.filter(name__in=names.values()).values_list("name", flat=True))
        groups, new = {}, []
        for spec in blueprint.groups:
            name = names[spec.key]
            group = links.get(spec.key)
            if group is None:
                if name in taken:
                    name = f"{name} ({c.code})"[:150]
                group = Group(name=name)
                new.append(spec.key)
            elif group.name != name and name not in taken:
                taken.discard(group.name)
                group.name = name
                group.save(update_fields=["name"])
            taken.add(group.name)
            groups[spec.key] = group
        if new:
            _bulk_create_with_pks(Group, [groups[key] for key in new])
            CollectiviteGroup.objects.bulk_create(
                [CollectiviteGroup(collectivite=c, role=key, group=groups[key]) for key in new]
            )
        self._ensure_group_permissions(blueprint, groups, new, home, collection, outcome)
        return groups

    def _ensure_group_permissions(self, blueprint, groups, new, home, collection, outcome):
        """All the groups' permissions at once: what the existing groups lack, and all of it
        for the new ones."""
        old_ids = [g.pk for key, g in groups.items() if key not in new]
        have_page, have_coll = set(), set()
        if old_ids:
            have_page = set(
                GroupPagePermission.objects.filter(group__in=old_ids, page=home).values_list(
                    "group_id", "permission_id"
                )
            )
            have_coll = set(
                GroupCollectionPermission.objects.filter(group__in=old_ids).values_list(
                    "group_id", "collection_id", "permission_id"
                )
            )
        page_rows, coll_rows, plain_rows = [], [], []
        for spec in blueprint.groups:
            group = groups[spec.key]
            if spec.key in new:
                outcome.changes.append(f"groupe « {group.name} » créé")
            page_perms = {self.permission(f"wagtailcore.{n}") for n in spec.page_permissions}
            missing = [p for p in page_perms if (group.pk, p.pk) not in have_page]
            page_rows += [
                GroupPagePermission(group=group, page=home, permission=p) for p in missing
            ]
            target = self.root_collection() if spec.collection == "root" else collection
            coll_perms = {self.permission(label) for label in spec.collection_permissions}
            missing_coll = [p for p in coll_perms if (group.pk, target.pk, p.pk) not in have_coll]
            coll_rows += [
                GroupCollectionPermission(group=group, collection=target, permission=p)
                for p in missing_coll
            ]
            plain_rows += [
                Group.permissions.through(group_id=group.pk, permission_id=perm.pk)
                for perm in (self.permission(label) for label in spec.permissions)
            ]
            if (missing or missing_coll) and outcome.result != CREATED:
                outcome.changes.append(f"permissions du groupe « {group.name} » complétées")
        GroupPagePermission.objects.bulk_create(page_rows)
        GroupCollectionPermission.objects.bulk_create(coll_rows)
        # Like group.permissions.add(): what is already there stays as it is.
        Group.permissions.through.objects.bulk_create(plain_rows, ignore_conflicts=True)

    def _ensure_workflow(self, c, blueprint, context, home, groups, outcome):
        spec = blueprint.workflow
        if spec is None:
            return
        workflow = Workflow.objects.filter(pk=c.workflow_id).first() if c.workflow_id else None
        if workflow is None:
            workflow = Workflow.objects.create(name=spec.name.format_map(context)[:255])
            task = GroupApprovalTask.objects.create(name=spec.task.format_map(context)[:255])
            task.groups.add(*self._approver_groups(spec, groups))
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            c.workflow = workflow
            outcome.changes.append(f"circuit de validation « {workflow.name} » créé")
        self._ensure_approvers(c, spec, workflow, groups, outcome)
        # The workflow's tasks and approvers are the Pays' to change afterwards; only its
        # attachment to the site is restored.
        # A home page made in this transaction has nothing attached yet.
        home_is_new = outcome.result == CREATED
        if home_is_new or not WorkflowPage.objects.filter(page=home).exists():
            WorkflowPage.objects.create(workflow=workflow, page=home)
            if outcome.result != CREATED:
                outcome.changes.append("circuit de validation rattaché au site")
        for label in spec.snippets:
            content_type = ContentType.objects.get_for_model(apps.get_model(label))
            _link, created = WorkflowContentType.objects.get_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )
            if created and outcome.result != CREATED:
                outcome.changes.append(f"circuit de validation rattaché à {label}")

    def _ensure_approvers(self, c, spec, workflow, groups, outcome):
        """The Pays may hand approval to a commune's élus (Collectivite.approval_by_elus)."""
        if "elus" not in groups:
            return
        task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
        if task is None:
            return
        current = set(task.groups.values_list("pk", flat=True))
        if c.approval_by_elus:
            wanted = {groups["elus"].pk}
        elif groups["elus"].pk in current:
            wanted = {g.pk for g in self._approver_groups(spec, groups)}
        else:
            return
        if current != wanted:
            task.groups.set(wanted)
            who = "élus" if c.approval_by_elus else "équipe du Pays"
            outcome.changes.append(f"validation confiée : {who}")

    def _approver_groups(self, spec, own_groups):
        result = []
        for ref in spec.approvers:
            if ref.startswith("pays:"):
                role = ref.split(":", 1)[1]
                if role not in self._pays_groups:
                    link = CollectiviteGroup.objects.filter(collectivite=self.pays(), role=role)
                    link = link.select_related("group").first()
                    if link is None:
                        raise ProvisioningError(
                            f"le groupe « {role} » du Pays n'existe pas : "
                            "provisionnez d'abord le Pays"
                        )
                    self._pays_groups[role] = link.group
                result.append(self._pays_groups[role])
            elif ref in own_groups:
                result.append(own_groups[ref])
            else:
                raise ProvisioningError(f"valideurs inconnus « {ref} »")
        return result

    # -- cached lookups ------------------------------------------------------------------------

    def permission(self, label) -> Permission:
        if not self._permissions:
            for perm in Permission.objects.select_related("content_type"):
                self._permissions[f"{perm.content_type.app_label}.{perm.codename}"] = perm
        try:
            return self._permissions[label]
        except KeyError as exc:
            raise ProvisioningError(f"permission inconnue « {label} »") from exc

    def root_collection(self) -> Collection:
        if self._root_collection is None:
            self._root_collection = Collection.get_first_root_node()
        return self._root_collection

    def locale(self) -> Locale:
        if self._locale is None:
            self._locale = Locale.get_default()
        return self._locale

    def pays(self) -> Collectivite:
        if self._pays is None:
            self._pays = Collectivite.objects.filter(kind=Collectivite.Kind.PAYS).first()
            if self._pays is None:
                raise ProvisioningError("le registre n'a pas de Pays : chargez-le d'abord")
        return self._pays

    def pays_name(self) -> str:
        try:
            return self.pays().name
        except ProvisioningError:
            return ""

    def _log(self, report: Report):
        if self.dry_run:
            return
        ProvisioningLog.objects.bulk_create(
            [
                ProvisioningLog(
                    collectivite=o.collectivite,
                    blueprint=o.blueprint,
                    result=o.result,
                    details="\n".join(o.changes + ([o.error] if o.error else [])),
                    user=self.user,
                )
                for o in report.outcomes
                if o.result != UNCHANGED
            ]
        )


def _replan_foreign_key_checks():
    """PostgreSQL plans the foreign-key checks of a session once and keeps the plans. On a
    fresh database they were made when the page table was nearly empty and scan it: each
    site would then commit more slowly than the one before. Dropping the plans now and then
    lets the checks use the primary keys as the tables grow."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DISCARD PLANS")


def add_missing_revisions(collectivites) -> int:
    """The factory's pages made before it wrote revisions get their first one. One query when
    there are none left, so that a re-run over unchanged sites stays free."""
    ids = [c.pk for c in collectivites if c.status != Collectivite.Status.ARCHIVED]
    records = list(
        ProvisionedPage.objects.filter(
            collectivite__in=ids, page__isnull=False, page__latest_revision__isnull=True
        )
    )
    if not records:
        return 0
    pages = {p.pk: p for p in Page.objects.filter(pk__in=[r.page_id for r in records]).specific()}
    # A page with unpublished changes but no revision was not made by the factory's hand.
    pages = {pk: p for pk, p in pages.items() if not p.has_unpublished_changes}
    revisions = add_revisions(pages.values())
    for record in records:
        record.revision = revisions.get(record.page_id)
    ProvisionedPage.objects.bulk_update([r for r in records if r.revision], ["revision"])
    return len(revisions)


def _in_site(page, home):
    return page.path.startswith(home.path)


def _child_with_slug(parent, slug):
    interval = Page._get_children_path_interval(parent.path)
    return Page.objects.filter(path__range=interval, depth=parent.depth + 1, slug=slug)


def _insert_inlines(groups):
    """Child rows (opening hours, form fields...) of freshly inserted pages, one INSERT a model."""
    by_model = {}
    for objects in groups:
        for obj in objects:
            by_model.setdefault(type(obj), []).append(obj)
    for model, objects in by_model.items():
        model.objects.bulk_create(objects)


def _bulk_create_with_pks(model, objs):
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs)
    else:
        for obj in objs:
            obj.save()


def enqueue_indexing(page_ids):
    from sitefactory.tasks import index_pages

    ids = list(page_ids)
    transaction.on_commit(lambda: index_pages.enqueue(ids))


def provision(collectivites, **kwargs) -> Report:
    progress = kwargs.pop("progress", None)
    return Provisioner(**kwargs).run(provisioning_order(collectivites), progress=progress)
