"""A secretary of commune A, through every admin URL, with B's ids: nothing of B.

The permission matrix of the commune-sites issue: redirect, 403 or 404; no title of B in
any answer; the database unchanged.
"""

import io
import json

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, Revision

from communes.models import Banner, NewsPage, SiteDocument, SiteImage
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_content import landscape_jpeg, minimal_pdf

MARK = "Zorglub"  # in the title of each of B's objects, each with its own suffix
B_TITLES = [
    f"{MARK} {what}"
    for what in ("actualité", "brouillon", "image", "document", "bandeau", "habitant", "service")
]


def leaks(body):
    return any(title in body for title in B_TITLES)


# Each commune in turn is "A", looking at the next one as "B": A→B, B→C, C→A.
PAIRS = [(COMMUNE_A, COMMUNE_B), (COMMUNE_B, COMMUNE_C), (COMMUNE_C, COMMUNE_A)]


@pytest.fixture(params=PAIRS, ids=lambda pair: "→".join(pair))
def world(communes, request):
    a, b = (communes[code] for code in request.param)
    for c in (a, b):
        c.refresh_from_db()
    secretary = member("sec-a", a, "secretariat")
    from communes.models import Collectivite

    pays_user = member("staff", Collectivite.objects.get(code="PAYS"), "equipe")
    news_index = ProvisionedPage.objects.get(collectivite=b, key="actualites").page
    news = news_index.add_child(instance=NewsPage(title=f"{MARK} actualité", slug="zorglub"))
    news.save_revision(user=pays_user).publish()
    news.title = f"{MARK} brouillon"
    draft = news.save_revision(user=pays_user)
    image = SiteImage.objects.create(
        title=f"{MARK} image",
        description="paysage",
        collection_id=b.collection_id,
        file=ImageFile(io.BytesIO(landscape_jpeg(1, 40, 30)), name="b.jpg"),
    )
    document = SiteDocument.objects.create(
        title=f"{MARK} document",
        collection_id=b.collection_id,
        file=SimpleUploadedFile("b.pdf", minimal_pdf(["B"])),
    )
    banner = Banner.objects.create(
        title=f"{MARK} bandeau", end="2099-01-01T00:00Z", site_id=b.site_id, live=True
    )
    contact = ProvisionedPage.objects.get(collectivite=b, key="contact").page.specific
    submission = FormSubmission.objects.create(
        page=contact, form_data={"nom_et_prenom": f"{MARK} habitant"}
    )
    from directory.models import Category, ServiceEntry

    entry = ServiceEntry.objects.create(
        name=f"{MARK} service",
        category=Category.objects.get(slug="mairie"),
        commune=b,
        source="annuaire",
        external_id=f"zorglub-{b.code}",
    )
    client = host_client("pays.test")
    client.force_login(secretary)
    return {
        "entry": entry,
        "a": a,
        "b": b,
        "client": client,
        "secretary": secretary,
        "pays_user": pays_user,
        "news": news,
        "draft": draft,
        "image": image,
        "document": document,
        "banner": banner,
        "contact": contact,
        "submission": submission,
        "home_b": b.home_page,
        "home_a": a.home_page,
    }


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("pk", "title", "live", "path", "locked")),
        "revisions": Revision.objects.count(),
        "images": sorted(SiteImage.objects.values_list("pk", "title", "collection_id")),
        "documents": sorted(SiteDocument.objects.values_list("pk", "title", "collection_id")),
        "banners": sorted(Banner.objects.values_list("pk", "title", "live", "site_id")),
        "submissions": FormSubmission.objects.count(),
        "entries": sorted(_entries()),
    }


def _entries():
    from directory.models import ServiceEntry

    return ServiceEntry.objects.values_list("pk", "name", "phone", "commune_id", "status")


def object_urls(w):
    b, news, img, doc, ban = w["home_b"], w["news"], w["image"], w["document"], w["banner"]
    rev = w["draft"]
    a_index = ProvisionedPage.objects.get(collectivite=w["a"], key="actualites").page
    return [
        reverse("wagtailadmin_explore", args=[b.pk]),
        reverse("wagtailadmin_explore", args=[news.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[news.pk]),
        reverse("wagtailadmin_pages:edit", args=[b.pk]),
        reverse("wagtailadmin_pages:copy", args=[news.pk]),
        reverse("wagtailadmin_pages:move", args=[news.pk]),
        reverse("wagtailadmin_pages:move_confirm", args=[news.pk, a_index.pk]),
        reverse("wagtailadmin_pages:delete", args=[news.pk]),
        reverse("wagtailadmin_pages:unpublish", args=[news.pk]),
        reverse("wagtailadmin_pages:lock", args=[news.pk]),
        reverse("wagtailadmin_pages:history", args=[news.pk]),
        reverse("wagtailadmin_pages:revisions_index", args=[news.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[news.pk, rev.pk]),
        reverse("wagtailadmin_pages:revisions_revert", args=[news.pk, rev.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[news.pk, "live", rev.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[news.pk]),
        reverse("wagtailadmin_pages:view_draft", args=[news.pk]),
        reverse("wagtailadmin_pages:usage", args=[news.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[news.pk]),
        reverse("wagtailadmin_pages:add_subpage", args=[b.pk]),
        reverse("wagtailadmin_pages:set_privacy", args=[news.pk]),
        reverse("wagtailadmin_choose_page_child", args=[b.pk]),
        reverse("wagtailadmin_choose_page_child", args=[news.get_parent().pk]),
        reverse("wagtailadmin_api:pages:detail", args=[news.pk]),
        reverse("wagtailadmin_api:pages:detail", args=[b.pk]),
        reverse("wagtailimages:edit", args=[img.pk]),
        reverse("wagtailimages:delete", args=[img.pk]),
        reverse("wagtailimages:image_usage", args=[img.pk]),
        reverse("wagtailimages:url_generator", args=[img.pk]),
        reverse("wagtailimages_chooser:chosen", args=[img.pk]),
        reverse("wagtailadmin_api:images:detail", args=[img.pk]),
        reverse("wagtaildocs:edit", args=[doc.pk]),
        reverse("wagtaildocs:delete", args=[doc.pk]),
        reverse("wagtaildocs:document_usage", args=[doc.pk]),
        reverse("wagtaildocs_chooser:chosen", args=[doc.pk]),
        reverse("wagtailadmin_api:documents:detail", args=[doc.pk]),
        reverse("wagtailsnippets_communes_banner:edit", args=[ban.pk]),
        reverse("wagtailsnippets_communes_banner:delete", args=[ban.pk]),
        reverse("wagtailsnippets_communes_banner:history", args=[ban.pk]),
        reverse("wagtailsnippets_communes_banner:usage", args=[ban.pk]),
        reverse("wagtailsnippetchoosers_communes_banner:chosen", args=[ban.pk]),
        reverse("wagtailsnippets_directory_serviceentry:edit", args=[w["entry"].pk]),
        reverse("wagtailsnippets_directory_serviceentry:delete", args=[w["entry"].pk]),
        reverse("wagtailsnippets_directory_serviceentry:history", args=[w["entry"].pk]),
        reverse("wagtailsnippets_directory_serviceentry:usage", args=[w["entry"].pk]),
        reverse("wagtailsnippets_directory_serviceentry:copy", args=[w["entry"].pk]),
        reverse("wagtailsnippetchoosers_directory_serviceentry:chosen", args=[w["entry"].pk]),
        reverse("wagtailforms:list_submissions", args=[w["contact"].pk]),
        reverse("wagtailforms:list_submissions", args=[w["contact"].pk]) + "?export=csv",
        reverse("wagtailforms:delete_submissions", args=[w["contact"].pk])
        + f"?selected-submissions={w['submission'].pk}",
    ]


def listing_urls(w):
    index_a = w["home_a"].get_parent()
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[w["home_a"].pk]),
        reverse("wagtailadmin_explore", args=[index_a.pk]),
        reverse("wagtailadmin_pages:search") + f"?q={MARK}",
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_child", args=[index_a.pk]),
        reverse("wagtailadmin_choose_page_search") + f"?q={MARK}",
        reverse("wagtailadmin_api:pages:listing") + f"?child_of={index_a.pk}",
        reverse("wagtailadmin_api:pages:listing") + f"?search={MARK}",
        reverse("wagtailadmin_api:images:listing"),
        reverse("wagtailadmin_api:documents:listing"),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:index") + f"?q={MARK}",
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages_chooser:choose_results") + f"?q={MARK}",
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose_results") + f"?q={MARK}",
        reverse("wagtailsnippets_communes_banner:list"),
        reverse("wagtailsnippets_communes_banner:list") + f"?q={MARK}",
        reverse("wagtailsnippetchoosers_communes_banner:choose"),
        reverse("wagtailsnippets_directory_serviceentry:list"),
        reverse("wagtailsnippets_directory_serviceentry:list") + f"?q={MARK}",
        reverse("wagtailsnippetchoosers_directory_serviceentry:choose"),
        reverse("wagtailsnippetchoosers_directory_serviceentry:choose_results") + f"?q={MARK}",
        reverse("directory-imports:index"),
        reverse("directory_import"),
        reverse("wagtailforms:index"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("wagtail_localize:translations_report"),
        reverse("wagtailadmin_pages:type_use", args=["communes", "newspage"]),
        reverse("wagtailsnippets:index"),
    ]


def test_secretary_of_a_gets_nothing_of_b_through_object_urls(world):
    client = world["client"]
    before = snapshot()
    failures = []
    for url in object_urls(world):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            if response.status_code not in (302, 403, 404, 405) or leaks(body):
                failures.append(f"{method.upper()} {url} → {response.status_code}")
    assert failures == [], "\n".join(failures)
    assert snapshot() == before


def test_secretary_of_a_sees_no_title_of_b_in_listings(world):
    client = world["client"]
    failures = []
    for url in listing_urls(world):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        if response.status_code >= 500 or leaks(body):
            failures.append(f"GET {url} → {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_the_same_urls_work_for_the_pays_team(world):
    """The matrix is not vacuous: the Pays staff reaches B's objects through those URLs."""
    client = host_client("pays.test")
    client.force_login(world["pays_user"])
    for name, args in [
        ("wagtailadmin_pages:edit", [world["news"].pk]),
        ("wagtailimages:edit", [world["image"].pk]),
        ("wagtaildocs:edit", [world["document"].pk]),
        ("wagtailsnippets_communes_banner:edit", [world["banner"].pk]),
        ("wagtailsnippets_directory_serviceentry:edit", [world["entry"].pk]),
        ("wagtailforms:list_submissions", [world["contact"].pk]),
        ("wagtailimages_chooser:chosen", [world["image"].pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert MARK in response.content.decode(), name


def test_secretary_reaches_their_own_commune(world):
    client = world["client"]
    a_news = ProvisionedPage.objects.get(collectivite=world["a"], key="actualites").page
    assert client.get(reverse("wagtailadmin_pages:edit", args=[a_news.pk])).status_code == 200
    response = client.get(
        reverse("wagtailadmin_api:pages:listing") + f"?child_of={world['home_a'].get_parent().pk}"
    )
    titles = [item["title"] for item in json.loads(response.content)["items"]]
    assert titles == [world["a"].name]
