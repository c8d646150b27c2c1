"""Provisioning in parallel workers (sitefactory.services.parallel): two forked processes
make the whole registry on PostgreSQL, each site once, in sound trees; a re-run changes
nothing. The workers only see committed rows: the test is transactional."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Collection, Page, Site

from communes.models import Collectivite, CollectiviteGroup
from conftest import load_registry
from sitefactory.models import ProvisionedPage, TreeReservation
from sitefactory.services.parallel import provision_in_parallel
from tests.database import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NO_PROBLEMS = ([], [], [], [], [])


@pytest.fixture(scope="module")
def postgresql():
    require_postgresql("parallel provisioning needs PostgreSQL (SQLite has one writer at a time).")


def test_two_workers_make_every_site_once(postgresql):
    load_registry()
    everything = Collectivite.objects.all()

    report = provision_in_parallel(everything, workers=2)

    assert report.summary == f"created {everything.count()}, updated 0, unchanged 0, failed 0"
    assert len(report.worker_pids) == 2
    # In batches side by side, not each batch failed and made again one by one.
    assert sum(o.batched for o in report.outcomes) > 0.9 * everything.count()
    assert Page.find_problems() == NO_PROBLEMS
    assert Collection.find_problems() == NO_PROBLEMS
    communes = everything.exclude(kind="pays")
    assert Site.objects.count() == everything.count()
    assert communes.filter(status="provisioned", site__isnull=False).count() == communes.count()
    index = ProvisionedPage.objects.get(collectivite__kind="pays", key="communes").page
    homes = index.get_children()
    assert index.numchild == homes.count() == communes.count()
    assert len({h.path for h in homes}) == homes.count()
    assert TreeReservation.objects.get(parent=index).next_step > homes.count()
    for c in communes.select_related("home_page"):
        records = ProvisionedPage.objects.filter(collectivite=c)
        assert Page.objects.descendant_of(c.home_page, inclusive=True).count() == records.count()
    assert CollectiviteGroup.objects.filter(collectivite__in=communes).count() == 2 * len(homes)

    again = provision_in_parallel(everything, workers=2)
    assert again.summary == f"created 0, updated 0, unchanged {everything.count()}, failed 0"


def test_workers_need_postgresql_and_a_real_run(postgresql):
    with pytest.raises(CommandError, match="dry-run"):
        call_command("provision", "--all", "--workers", "2", "--dry-run", stdout=StringIO())
    with pytest.raises(CommandError, match="au moins 1"):
        call_command("provision", "--all", "--workers", "0", stdout=StringIO())
