"""New sites made in batches (sitefactory.services.batch) are the sites one-by-one makes."""

import re

import pytest
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    WorkflowPage,
)

from communes.models import Collectivite, CollectiviteGroup
from conftest import COMMUNE_A, COMMUNE_B, provision_codes
from sitefactory.models import ProvisionedPage
from sitefactory.services import batch, provisioning
from sitefactory.services.provisioning import Provisioner, provision

NO_PROBLEMS = ([], [], [], [], [])
VOLATILE = {"pk", "id", "page", "path", "translation_key", "latest_revision", "live_revision"}
VOLATILE |= {"latest_revision_created_at", "first_published_at", "last_published_at"}


BLOCK_ID = re.compile(r'"id": "[0-9a-f-]{36}"')


class _Rollback(Exception):
    pass


def _stable(value):
    """A revision's content without what differs between two runs (keys, ids, times)."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    if isinstance(value, str):  # a StreamField's JSON: its blocks' random ids
        return BLOCK_ID.sub('"id": ""', value)
    return value


def _groups(c):
    out = []
    for link in CollectiviteGroup.objects.filter(collectivite=c).select_related("group"):
        group = link.group
        out.append(
            (
                link.role,
                group.name,
                sorted(group.permissions.values_list("codename", flat=True)),
                sorted(
                    GroupPagePermission.objects.filter(group=group).values_list(
                        "page__url_path", "permission__codename"
                    )
                ),
                sorted(
                    GroupCollectionPermission.objects.filter(group=group).values_list(
                        "collection__name", "permission__codename"
                    )
                ),
            )
        )
    return sorted(out)


def _workflow(c):
    workflow = c.workflow
    tasks = [
        (task.name, task.specific_class.__name__, task.active)
        for task in workflow.tasks.order_by("workflow_tasks__sort_order")
    ]
    approvers = sorted(
        GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).values_list(
            "groups__name", flat=True
        )
    )
    pages = list(WorkflowPage.objects.filter(workflow=workflow).values_list("page__url_path"))
    return workflow.name, workflow.active, tasks, approvers, pages


def describe(report):
    """Everything the factory made for each collectivité but the Pays, without keys."""
    changes = {o.collectivite.code: (o.result, o.changes) for o in report.outcomes}
    made = {}
    communes = Collectivite.objects.exclude(kind="pays").select_related(
        "site", "collection", "workflow", "home_page"
    )
    for c in communes:
        home = c.home_page
        pages = Page.objects.descendant_of(home, inclusive=True).order_by("path").specific()
        revisions = {
            r.pk: r for r in Revision.objects.filter(object_id__in=[str(p.pk) for p in pages])
        }
        records = ProvisionedPage.objects.filter(collectivite=c).select_related("page")
        made[c.code] = {
            "outcome": changes[c.code],
            "row": (c.status, c.hostname, c.provisioned_blueprint, c.provision_fingerprint),
            "site": (
                c.site.hostname,
                c.site.port,
                c.site.site_name,
                c.site.root_page_id == home.pk,
                c.site.is_default_site,
            ),
            "pages": [
                (
                    p.url_path,
                    p.depth - home.depth,
                    p.numchild,
                    type(p).__name__,
                    p.title,
                    p.draft_title,
                    p.live,
                    p.has_unpublished_changes,
                    p.locale_id,
                    p.latest_revision_id == p.live_revision_id,
                    _stable(revisions[p.latest_revision_id].content),
                    _stable(p.serializable_data()),
                )
                for p in pages
            ],
            "records": sorted(
                (r.key, r.fingerprint, r.page.url_path, r.revision_id == r.page.latest_revision_id)
                for r in records
            ),
            "collection": (c.collection.name, c.collection.depth, c.collection.numchild),
            "groups": _groups(c),
            "workflow": _workflow(c),
        }
    made["collections, in path order"] = list(
        Collection.objects.order_by("path").values_list("name", "depth")
    )
    made["problems"] = (Page.find_problems(), Collection.find_problems())
    return made


def _provision_and_describe(queryset):
    try:
        with transaction.atomic():
            report = provision(queryset)
            made = describe(report)
            raise _Rollback
    except _Rollback:
        pass
    return made


def test_a_batch_makes_what_one_by_one_makes(registry_only, monkeypatch):
    provision_codes(["PAYS"])
    # Two communes of the same name (the groups' names then take the code), and a commune
    # whose élus approve its pages.
    Collectivite.objects.filter(code=COMMUNE_B).update(name="Bergerac")
    Collectivite.objects.filter(code="24167").update(approval_by_elus=True)
    others = Collectivite.objects.exclude(kind="pays")
    batched = []
    create_batch = Provisioner.create_batch

    def spy(self, blueprint, items):
        outcomes, left = create_batch(self, blueprint, items)
        batched.extend(outcomes)
        return outcomes, left

    monkeypatch.setattr(Provisioner, "create_batch", spy)
    in_batches = _provision_and_describe(others)
    assert len(batched) > 0.9 * others.count()

    monkeypatch.setattr(provisioning, "BATCH_SIZE", 1)
    batched.clear()
    one_by_one = _provision_and_describe(others)
    assert batched == []

    assert in_batches["problems"] == (NO_PROBLEMS, NO_PROBLEMS)
    assert set(in_batches) == set(one_by_one)
    for key in in_batches:
        assert in_batches[key] == one_by_one[key], key
    names = {g[1] for code in (COMMUNE_A, COMMUNE_B) for g in in_batches[code]["groups"]}
    assert {"Bergerac — Secrétariat", f"Bergerac — Secrétariat ({COMMUNE_B})"} <= names
    assert in_batches["24167"]["outcome"][1][-1] == "validation confiée : élus"


def test_a_batch_that_fails_is_made_again_one_by_one(pays_only, monkeypatch):
    """One collectivité that cannot be made fails alone, as it would one by one; the others
    of its batch are made, each in its own transaction."""
    real = batch.placeholders

    def broken(collectivite, pays_name):
        if collectivite.code == COMMUNE_B:
            raise ValueError("registre illisible")
        return real(collectivite, pays_name)

    monkeypatch.setattr(batch, "placeholders", broken)
    monkeypatch.setattr(provisioning, "placeholders", broken)
    pages_before = Page.objects.count()

    report = provision(Collectivite.objects.filter(code__in=[COMMUNE_A, COMMUNE_B, "24167"]))

    results = {o.collectivite.code: (o.result, o.error) for o in report.outcomes}
    assert results[COMMUNE_B] == ("failed", "ValueError: registre illisible")
    assert results[COMMUNE_A][0] == results["24167"][0] == "created"
    lalinde = Collectivite.objects.get(code=COMMUNE_B)
    assert lalinde.status == Collectivite.Status.TO_PROVISION and lalinde.site_id is None
    assert not CollectiviteGroup.objects.filter(collectivite=lalinde).exists()
    assert not ProvisionedPage.objects.filter(collectivite=lalinde).exists()
    assert Page.objects.count() == pages_before + 2 * 19


@pytest.mark.parametrize("made_before", ["site", "page records"])
def test_a_site_begun_before_is_completed_one_by_one(pays_only, made_before):
    """A collectivité with part of its site already there never goes in a batch."""
    bergerac = Collectivite.objects.get(code=COMMUNE_A)
    provision_codes([COMMUNE_A])
    if made_before == "site":
        ProvisionedPage.objects.filter(collectivite=bergerac).delete()
    else:
        Collectivite.objects.filter(pk=bergerac.pk).update(
            site=None, home_page=None, collection=None, workflow=None, status="to_provision"
        )
    rows = Collectivite.objects.filter(code__in=[COMMUNE_A, COMMUNE_B, "24167"])
    outcomes, left = Provisioner().create_batch(
        provisioning.blueprint_for(bergerac), list(rows.order_by("code"))
    )
    assert bergerac.pk in {c.pk for c in left}
    assert bergerac.pk not in {o.collectivite.pk for o in outcomes}
    assert len(outcomes) == 2
