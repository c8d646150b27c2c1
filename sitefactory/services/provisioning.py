"""Provisioning: make (or bring up to date) the site of each collectivité from its blueprint.

One collectivité = one transaction. A re-run whose registry entry and blueprint have not
changed is recognised from a fingerprint and costs no query. When they have changed, the
factory adds what is missing, updates the pages nobody has edited since, and leaves alone
every page an editor has touched.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Collection, Locale, Page

from communes.models import Collectivite
from sitefactory.models import ProvisionedPage, ProvisioningLog
from sitefactory.services.batch import BATCH_SIZE, SAVED_FIELDS, BatchMixin, is_new
from sitefactory.services.blueprints import Blueprint, BlueprintError, blueprint_for, placeholders
from sitefactory.services.groups import GroupsMixin
from sitefactory.services.report import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    Outcome,
    ProvisioningError,
    Report,
)
from sitefactory.services.revisions import add_revisions
from sitefactory.services.site_pages import PagesMixin
from sitefactory.services.site_setup import SiteMixin
from sitefactory.services.workflow import WorkflowMixin

logger = logging.getLogger(__name__)

REPLAN_EVERY = 50  # collectivités
# Where a bulk run refreshes the planner's statistics (and at its end): the tables grow
# tenfold between two of them.
ANALYZE_AT = frozenset({REPLAN_EVERY, 10 * REPLAN_EVERY, 100 * REPLAN_EVERY})


class _DryRunRollback(Exception):
    pass


def provisioning_order(queryset):
    """The Pays first (everything hangs below its portal), then groupings, then communes."""
    order = {Collectivite.Kind.PAYS: 0, Collectivite.Kind.EPCI: 1, Collectivite.Kind.SYNDICAT: 2}
    items = list(queryset.select_related("epci"))
    return sorted(items, key=lambda c: (order.get(c.kind, 3), c.name))


class Provisioner(BatchMixin, PagesMixin, SiteMixin, GroupsMixin, WorkflowMixin):
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
        log=True,
    ) -> Report:
        items = list(collectivites)
        report = Report(dry_run=self.dry_run)
        self._forget_pays_objects()

        def loop():
            report.initial_revisions = add_missing_revisions(items)
            for blueprint, group in self._groups(items):
                positions = range(len(report.outcomes) + 1, len(report.outcomes) + len(group) + 1)
                if any(p % REPLAN_EVERY == 0 for p in positions):
                    if ANALYZE_AT.intersection(positions) and not self.dry_run:
                        refresh_statistics()
                    replan_foreign_key_checks()
                outcomes = self._batch(blueprint, group) if blueprint else {}
                for collectivite in group:
                    position = len(report.outcomes) + 1
                    outcome = outcomes.get(collectivite.pk) or self.provision(collectivite)
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
            if report.count(CREATED) >= REPLAN_EVERY:
                refresh_statistics()
            if log:
                self.log(report)
        return report

    def _groups(self, items):
        """(blueprint, collectivités) to provide in turn: runs of up to BATCH_SIZE new ones
        of the same blueprint, to make in a batch, and (None, [one]) for everything else."""
        run, run_blueprint = [], None
        for c in items:
            blueprint = self._batch_blueprint(c)
            if run and (
                blueprint is None or blueprint.name != run_blueprint.name or len(run) == BATCH_SIZE
            ):
                yield run_blueprint, run
                run = []
            if blueprint is None:
                yield None, [c]
            else:
                run, run_blueprint = [*run, c], blueprint
        if run:
            yield run_blueprint, run

    def _batch_blueprint(self, c):
        if not is_new(c):
            return None
        try:
            blueprint = blueprint_for(c, self.blueprint_override)
        except BlueprintError:
            return None  # one by one, which reports it
        return blueprint if c.kind in blueprint.kinds else None

    def _batch(self, blueprint, group) -> dict:
        """The outcomes of the sites made in a batch, by collectivité; the others (all of
        them, if the batch failed) are left to provision() one by one."""
        if len(group) < 2:
            return {}
        try:
            outcomes, _left = self.create_batch(blueprint, group)
        except Exception:  # noqa: BLE001 - made again one by one, which reports the failure
            logger.warning("batch of %s failed, made one by one", len(group), exc_info=True)
            self._forget_pays_objects()
            return {}
        if not self.dry_run:
            enqueue_indexing(pk for outcome in outcomes for pk in outcome.new_page_ids)
        return {outcome.collectivite.pk: outcome for outcome in outcomes}

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
        self._ensure_snippet_workflows(blueprint, context, groups, outcome)

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
        c.save(update_fields=SAVED_FIELDS)
        outcome.collectivite = c
        return outcome

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

    def log(self, report: Report):
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


def refresh_statistics():
    """A bulk run adds far more rows than the planner's statistics know of (autovacuum
    catches up later): a query of a fresh France-wide install, such as the sites nested in
    the portal's tree (serving.sitemaps), took 1.7 s on 1,000 sites, 13 ms once analysed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def replan_foreign_key_checks():
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


def enqueue_indexing(page_ids):
    from sitefactory.tasks import index_pages

    ids = list(page_ids)
    transaction.on_commit(lambda: index_pages.enqueue(ids))


def provision(collectivites, **kwargs) -> Report:
    progress = kwargs.pop("progress", None)
    return Provisioner(**kwargs).run(provisioning_order(collectivites), progress=progress)
