"""The whole Pays, as `make seed` provisions it."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from communes.models import Collectivite
from conftest import host_client


@pytest.mark.long
def test_seed_provisions_every_collectivite_and_each_answers(migrated_db):
    call_command("load_registry", stdout=StringIO())
    out = StringIO()
    call_command("provision", "--all", stdout=out, stderr=StringIO())
    assert out.getvalue().strip().splitlines()[-1] == (
        "created 161, updated 0, unchanged 0, failed 0"
    )
    assert Site.objects.count() == 161
    assert Page.find_problems() == ([], [], [], [], [])

    out = StringIO()
    call_command("provision", "--all", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "created 0, updated 0, unchanged 161, failed 0"

    portal = host_client("pays.test")
    portal_html = portal.get("/communes/").content.decode()
    for c in Collectivite.objects.members().select_related("site"):
        assert c.status == Collectivite.Status.PROVISIONED
        assert c.hostname == f"{c.slug}.pays.test"
        assert host_client(c.hostname).get("/").status_code == 200, c
        assert portal.get(f"/communes/{c.slug}/").status_code == 200, c
        assert f'href="http://{c.hostname}/"' in portal_html
