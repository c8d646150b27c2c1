"""The demo (`seed_occitan`): the seed à relire, the entries the README does not flag
published by the demo reviewer, idempotent."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from occitan.models import Entry, Expression
from occitan.services.csv_columns import SEED_CREDIT
from occitan.services.demo import PARTNER_USERNAME, PUBLISHED_EXPRESSIONS, REVIEWER_USERNAME
from occitan.services.lookup import find

LIVE_ENTRIES = 181  # 214 less the 33 whose Occitan the README flags


@pytest.mark.django_db
def test_the_demo_publishes_what_is_not_flagged_as_the_demo_reviewer(pays, capsys):
    call_command("seed_occitan", password="demo-pass-1")  # noqa: S106
    out = capsys.readouterr().out
    assert f"published by {REVIEWER_USERNAME}: {LIVE_ENTRIES} entries" in out
    assert Entry.objects.filter(live=True).count() == LIVE_ENTRIES
    assert Entry.objects.filter(live=False).count() == 214 - LIVE_ENTRIES
    assert Expression.objects.filter(live=True).count() == len(PUBLISHED_EXPRESSIONS)
    assert Expression.objects.filter(live=False).count() == 27 - len(PUBLISHED_EXPRESSIONS)

    maison = Entry.objects.get(slug="maison")
    assert maison.live and not maison.has_unpublished_changes
    assert find("maison").entries[0] == maison
    assert find("ostal").entries[0] == maison
    assert (maison.credit, maison.machine_suggestion) == (SEED_CREDIT, True)
    for french in ("mairie", "maire", "fille", "forêt", "octobre", "non", "habitant", "pomme"):
        assert not Entry.objects.get(french=french).live, french
    reviewer = get_user_model().objects.get(username=REVIEWER_USERNAME)
    assert reviewer.check_password("demo-pass-1")
    publications = ModelLogEntry.objects.filter(action="wagtail.publish")
    assert publications.count() == LIVE_ENTRIES + len(PUBLISHED_EXPRESSIONS)
    assert set(publications.values_list("user_id", flat=True)) == {reviewer.pk}
    assert get_user_model().objects.filter(username=PARTNER_USERNAME).exists()

    call_command("seed_occitan", password="demo-pass-1")  # noqa: S106
    out = capsys.readouterr().out
    assert "créés 0, mis à jour 0, inchangés 214, rejetés 0" in out
    assert "créés 0, mis à jour 0, inchangés 27, rejetés 0" in out
    assert f"published by {REVIEWER_USERNAME}: 0 entries, 0 expressions" in out
    assert Entry.objects.filter(live=True).count() == LIVE_ENTRIES
    assert ModelLogEntry.objects.filter(action="wagtail.publish").count() == (
        LIVE_ENTRIES + len(PUBLISHED_EXPRESSIONS)
    )
