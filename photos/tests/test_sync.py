"""The sync against the replay server: created, unchanged, updated; own photos; dry runs."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communes.models import Collectivite, SiteImage
from photos.models import CommunePhotoStatus
from photos.services import sync
from photos.tests.conftest import item, jpeg, png, put_file, set_claims

A = "24037"  # Bergerac, synced first (by name), then Eymet, then Lalinde


def run(client_, codes=None, **options):
    return {r.code: r for r in sync.sync(sync.communes(codes), client=client_, **options)}


def home(code):
    return Collectivite.objects.get(code=code).home_page.specific


def downloads(replay):
    return sum(1 for route, _params in replay.hits if route == "file")


def test_a_first_run_creates_each_photo_with_its_credit(replay, client_):
    results = run(client_)
    assert {r.outcome for r in results.values()} == {"created"}
    bergerac = Collectivite.objects.get(code=A)
    assert bergerac.wikidata_id == item(A)  # found by its INSEE code, and kept
    image = home(A).photo
    assert image.collection_id == bergerac.collection_id
    assert image.origin == "commons" and not image.demo_stand_in
    assert image.credit == "Jean Dupont"
    assert image.credit_url == "https://commons.wikimedia.org/wiki/User:Jean"
    assert image.licence == "CC BY-SA 4.0"
    assert image.licence_url == "https://creativecommons.org/licenses/by-sa/4.0"
    assert image.attribution_required
    assert image.source_url == "https://commons.wikimedia.org/wiki/File:Bergerac_centre.jpg"
    assert image.commons_file == "Bergerac centre.jpg"
    assert image.commons_description.endswith(
        "les toits de tuiles rondes qui descendent vers la rivière & les quais."
    )
    assert len(image.description) <= 150 and image.description.endswith("…")
    assert image.commons_sha1 == hashlib.sha1(replay.files["Bergerac_centre.jpg"]).hexdigest()  # noqa: S324
    assert (image.width, image.height) == (12, 8)
    # Published: the live revision shows it too.
    assert home(A).live_revision.content["photo"] == image.pk
    assert not home(A).has_unpublished_changes
    status = CommunePhotoStatus.objects.get(collectivite=bergerac)
    assert (status.outcome, status.photo_file, status.wikidata_id) == (
        "created",
        "Bergerac centre.jpg",
        item(A),
    )


def test_a_rerun_changes_nothing_and_a_new_sha1_updates_the_same_image(replay, client_):
    run(client_)
    first = home(A).photo
    revisions = home(A).revisions.count()
    fetched = downloads(replay)
    assert {r.outcome for r in run(client_).values()} == {"unchanged"}
    assert downloads(replay) == fetched
    assert home(A).revisions.count() == revisions
    first.get_rendition("width-10")
    put_file(replay, "Bergerac centre.jpg", jpeg((250, 10, 10), size=(14, 9)))
    results = run(client_)
    assert results[A].outcome == "updated"
    assert {results[c].outcome for c in ("24223", "24167")} == {"unchanged"}
    image = SiteImage.objects.get(pk=first.pk)
    assert home(A).photo_id == first.pk
    assert (image.width, image.height) == (14, 9)
    assert not image.renditions.exists()
    assert image.commons_sha1 != first.commons_sha1


def test_the_secretarys_alt_text_survives_an_update(replay, client_):
    run(client_, [A])
    SiteImage.objects.filter(commons_file="Bergerac centre.jpg").update(description="La place")
    put_file(replay, "Bergerac centre.jpg", jpeg((5, 5, 5)))
    assert run(client_, [A])[A].outcome == "updated"
    assert home(A).photo.description == "La place"


def own_photo(code):
    c = Collectivite.objects.get(code=code)
    image = SiteImage.objects.create(
        title="Notre mairie", file=_upload(), collection_id=c.collection_id, description="Mairie"
    )
    page = c.home_page.specific
    page.photo = image
    page.save_revision().publish()
    return image


def _upload():
    import io

    from django.core.files.images import ImageFile

    return ImageFile(io.BytesIO(jpeg()), name="mairie.jpg")


def test_the_communes_own_photo_survives_unless_forced(replay, client_):
    mine = own_photo(A)
    results = run(client_, [A])
    assert results[A].outcome == "skipped"
    assert home(A).photo_id == mine.pk
    assert downloads(replay) == 0
    results = run(client_, [A], force=True)
    assert results[A].outcome == "created"
    assert home(A).photo.origin == "commons"
    assert SiteImage.objects.filter(pk=mine.pk).exists()  # replaced on the page, not deleted


def test_a_draft_is_not_published_by_the_sync(replay, client_):
    page = home(A)
    page.title = "Brouillon du secrétariat"
    page.save_revision()
    run(client_, [A])
    page = home(A)
    assert page.photo is not None and page.photo.origin == "commons"
    assert page.has_unpublished_changes
    assert page.title != "Brouillon du secrétariat"
    draft = page.get_latest_revision()
    assert draft.content["title"] == "Brouillon du secrétariat"
    assert draft.content["photo"] == page.photo_id  # publishing the draft keeps the photo


def test_a_dry_run_writes_nothing(replay, client_):
    results = run(client_, dry_run=True)
    assert {r.outcome for r in results.values()} == {"created"}
    assert not SiteImage.objects.filter(origin="commons").exists()
    assert not CommunePhotoStatus.objects.exists()
    assert not Collectivite.objects.filter(code=A).exclude(wikidata_id="").exists()
    assert downloads(replay) == 0


def test_missing_aerial_and_arms_only(replay, client_):
    set_claims(replay, A)  # nothing
    set_claims(replay, "24223", P8592="Lalinde vue.jpg", P94="Blason Lalinde.svg")
    put_file(replay, "Lalinde vue.jpg", jpeg())
    set_claims(replay, "24167", P94="Blason Eymet.svg")
    put_file(replay, "Blason Eymet.svg", png(), svg=True)
    results = run(client_)
    assert results[A].outcome == "missing"
    assert home(A).photo is None
    assert results["24223"].outcome == "created"
    assert "vue aérienne" in results["24223"].reason
    assert results["24167"].outcome == "created"
    assert "blason seulement" in results["24167"].reason
    status = CommunePhotoStatus.objects.get(collectivite__code="24167")
    assert status.arms_file == "Blason Eymet.svg" and not status.photo_file
    assert "blason seulement" in status.reason
    assert home("24167").photo.file.name.endswith(".png")


def test_a_licence_needing_no_attribution_says_so(replay, client_):
    put_file(replay, "Bergerac centre.jpg", jpeg(), licence="CC0")
    run(client_, [A])
    assert not home(A).photo.attribution_required


def test_the_command_reports_each_commune(replay):
    out = StringIO()
    call_command("sync_commune_photos", A, stdout=out, stderr=StringIO())
    assert f"[1/1] {A} Bergerac : créée" in out.getvalue()
    assert "créée 1" in out.getvalue()
    with pytest.raises(CommandError, match="Commune inconnue"):
        call_command("sync_commune_photos", "99999", stdout=StringIO())


def test_the_task_syncs_in_the_background(replay):
    from photos.tasks import sync_commune_photos_task

    result = sync_commune_photos_task.enqueue([A], False)
    assert result.return_value == {"created": 1}


def test_a_demo_illustration_is_replaced_without_force(replay, client_):
    mine = own_photo(A)
    SiteImage.objects.filter(pk=mine.pk).update(demo_stand_in=True)
    assert run(client_, [A])[A].outcome == "created"
    assert home(A).photo.origin == "commons"


def test_the_image_has_wagtails_size_and_hash(replay, client_):
    run(client_, [A])
    image = home(A).photo
    body = replay.files["Bergerac_centre.jpg"]
    assert image.file_size == len(body)
    assert image.file_hash == hashlib.sha1(body).hexdigest()  # noqa: S324
    assert image.file.read() == body
