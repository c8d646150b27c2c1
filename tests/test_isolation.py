"""A secretary of commune A, through every admin URL, with B's ids: nothing of B.

The permission matrix: redirect, 403 or 404; no title of B in any answer; the database
unchanged. Two halves:

- every admin URL pattern, enumerated from the URL resolver (Wagtail's and
  wagtail-localize's included), is either guarded by communes.admin_guard (each object id
  of its path has a known model) or declared Pays-only or checked by its view, with a
  reason; then each is requested by GET and POST with B's ids in the path, the query
  string and the body, bulk actions of every model included (one pair of communes);
- a hand-written list of the URLs a secretary uses, for each commune in turn.
"""

import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.contrib.forms.models import FormSubmission
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    Locale,
    Page,
    Revision,
    Site,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from communes import admin_guard
from communes.models import Banner, NewsPage, SiteDocument, SiteImage
from communes.reach import is_tenant_model
from conftest import COMMUNE_A, COMMUNE_B, COMMUNE_C, host_client, member
from sitefactory.models import ProvisionedPage
from sitefactory.services.demo_files import landscape_jpeg, minimal_pdf

MARK = "Zorglub"  # in the title of each of B's objects, each with its own suffix
B_TITLES = [
    f"{MARK} {what}"
    for what in (
        "actualité",
        "brouillon",
        "image",
        "document",
        "bandeau",
        "habitant",
        "service",
        "secrétaire",  # the full name of B's secretary
        "étiquette",  # a tag of B's image
        "candidature",  # a newcomer's application: the Pays team's alone
        "partenaire",  # a line of the applications' routing table
    )
]


# As they appear in HTML, and in JSON that escapes accents (Wagtail's choosers answer JSON).
B_FORMS = B_TITLES + [json.dumps(title)[1:-1] for title in B_TITLES]


def leaks(body):
    return any(title in body for title in B_FORMS)


# Each commune in turn is "A", looking at the next one as "B": A→B, B→C, C→A.
PAIRS = [(COMMUNE_A, COMMUNE_B), (COMMUNE_B, COMMUNE_C), (COMMUNE_C, COMMUNE_A)]


@pytest.fixture(params=PAIRS, ids=lambda pair: "→".join(pair))
def world(communes, request):
    return build_world(communes, *request.param)


@pytest.fixture
def world_ab(communes):
    return build_world(communes, *PAIRS[0])


def build_world(communes, code_a, code_b):
    a, b = communes[code_a], communes[code_b]
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
    image.tags.add(f"{MARK} étiquette")
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
    from newcomers.models import Application, Partner

    partner = Partner.objects.create(
        name=f"{MARK} partenaire", email="partenaire@example.org", sectors=["commerce"]
    )
    application = Application.objects.create(
        language="fr",
        situation="Salarié",
        project="Reprendre une librairie",
        sector="commerce",
        timeframe="1-an",
        name=f"{MARK} candidature",
        email="candidat@example.org",
        partner=partner,
        partner_name=partner.name,
        partner_email=partner.email,
    )
    application.areas.add(b)
    # The Pays team's work on it is in the site history: a secretary must not read it there.
    log(instance=application, action="wagtail.edit", user=pays_user)
    log(instance=partner, action="wagtail.edit", user=pays_user)
    # What B's people leave behind: history, moderation, translation, uploads, sessions.
    b_user = member("sec-b", b, "secretariat")
    b_user.first_name, b_user.last_name = MARK, "secrétaire"
    b_user.save()
    for obj in (banner, entry, image, document):
        log(instance=obj, action="wagtail.edit", user=b_user)
    banner_revision = banner.save_revision(user=b_user)
    news.title = f"{MARK} brouillon"
    workflow_state = news.get_workflow().start(news, b_user)
    english, _created = Locale.objects.get_or_create(language_code="en")
    source, _created = TranslationSource.get_or_create_from_instance(news)
    translation = Translation.objects.create(source=source, target_locale=english)
    upload = UploadedFile.objects.create(
        file=SimpleUploadedFile("b.pdf", minimal_pdf(["B"])), uploaded_by_user=b_user
    )
    session = EditingSession.objects.create(
        user=b_user,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(news.pk),
        last_seen_at=timezone.now(),
    )
    client = host_client("pays.test")
    client.force_login(secretary)
    return {
        "b_user": b_user,
        "banner_revision": banner_revision,
        "workflow_state": workflow_state,
        "task_state": workflow_state.current_task_state,
        "translation": translation,
        "source": source,
        "upload": upload,
        "session": session,
        "entry": entry,
        "application": application,
        "partner": partner,
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
        "pages": sorted(
            Page.objects.values_list(
                "pk", "title", "live", "path", "locked", "has_unpublished_changes"
            )
        ),
        "revisions": sorted(Revision.objects.values_list("pk", "object_id", "approved_go_live_at")),
        "images": sorted(SiteImage.objects.values_list("pk", "title", "collection_id")),
        "documents": sorted(SiteDocument.objects.values_list("pk", "title", "collection_id")),
        "banners": sorted(
            Banner.objects.values_list("pk", "title", "live", "site_id", "locked", "end")
        ),
        "submissions": sorted(FormSubmission.objects.values_list("pk", "page_id")),
        "entries": sorted(_entries()),
        "collections": sorted(Collection.objects.values_list("pk", "name", "path")),
        "sites": sorted(Site.objects.values_list("pk", "hostname", "root_page_id")),
        "users": sorted(get_user_model().objects.values_list("pk", "username", "is_active")),
        "memberships": sorted(get_user_model().groups.through.objects.values_list("pk")),
        "workflows": sorted(Workflow.objects.values_list("pk", "active")),
        "workflow_states": sorted(WorkflowState.objects.values_list("pk", "status")),
        "task_states": sorted(TaskState.objects.values_list("pk", "status")),
        "translations": sorted(Translation.objects.values_list("pk", "enabled")),
        "uploads": sorted(UploadedFile.objects.values_list("pk")),
        "sessions": sorted(EditingSession.objects.values_list("pk")),
        "applications": sorted(_applications()),
        "partners": sorted(_partners()),
    }


def _applications():
    from newcomers.models import Application

    return Application.objects.values_list("pk", "status", "partner_id")


def _partners():
    from newcomers.models import Partner

    return Partner.objects.values_list("pk", "name", "email", "active")


def _entries():
    from directory.models import ServiceEntry

    return ServiceEntry.objects.values_list("pk", "name", "phone", "commune_id", "status")


def object_urls(w):
    b, news, img, doc, ban = w["home_b"], w["news"], w["image"], w["document"], w["banner"]
    rev = w["draft"]
    a_index = ProvisionedPage.objects.get(collectivite=w["a"], key="actualites").page
    return [
        reverse("communes_translation_report") + f"?site_id={w['b'].site_id}&language=en",
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
        reverse("newcomers-applications:edit", args=[w["application"].pk]),
        reverse("newcomers-applications:inspect", args=[w["application"].pk]),
        reverse("newcomers-applications:delete", args=[w["application"].pk]),
        reverse("newcomers-partners:edit", args=[w["partner"].pk]),
        reverse("newcomers-partners:delete", args=[w["partner"].pk]),
    ]


def listing_urls(w):
    index_a = w["home_a"].get_parent()
    return [
        reverse("wagtailadmin_tag_autocomplete") + f"?term={MARK}",
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
        reverse("communes_translation_report"),
        reverse("wagtailadmin_pages:type_use", args=["communes", "newspage"]),
        reverse("wagtailsnippets:index"),
        reverse("newcomers-applications:index") + "?export=csv",
        reverse("newcomers-applications:index") + f"?q={MARK}",
        reverse("newcomers-partners:index"),
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
        ("newcomers-applications:inspect", [world["application"].pk]),
        ("newcomers-partners:edit", [world["partner"].pk]),
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


def test_secretary_is_offered_the_tags_of_their_own_media_only(world):
    client = world["client"]
    own = SiteImage.objects.create(
        title="Lavoir",
        description="lavoir",
        collection_id=world["a"].collection_id,
        file=ImageFile(io.BytesIO(landscape_jpeg(2, 40, 30)), name="a.jpg"),
    )
    own.tags.add(f"{MARK} à nous")
    response = client.get(reverse("wagtailadmin_tag_autocomplete"), {"term": MARK})
    assert json.loads(response.content) == [f"{MARK} à nous"]
    body = client.get(reverse("wagtailimages:index")).content.decode()
    assert f"{MARK} à nous" in body and not leaks(body)
    # The Pays team is offered every commune's tags, as Wagtail does.
    staff = host_client("pays.test")
    staff.force_login(world["pays_user"])
    response = staff.get(reverse("wagtailadmin_tag_autocomplete"), {"term": MARK})
    assert json.loads(response.content) == [f"{MARK} à nous", f"{MARK} étiquette"]


# -- Every admin URL, from the resolver ---------------------------------------------------------


def admin_patterns():
    """(name, route, URLPattern) of every URL pattern under admin/, includes walked."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("admin/"):
                    name = pattern.name and (
                        f"{namespace}:{pattern.name}" if namespace else pattern.name
                    )
                    found.append((name or "", route, pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def keywords(pattern):
    return list(pattern.pattern.regex.groupindex)


def positional(pattern):
    return pattern.pattern.regex.groups > len(keywords(pattern))


def test_the_enumeration_finds_wagtail_localize_and_bastide_admin_urls():
    names = {name for name, _route, _pattern in admin_patterns()}
    assert len(names) > 250
    for name in (
        "wagtail_bulk_action",
        "wagtailimages_chooser:chosen_multiple",
        "wagtail_localize:snippets_api_listing",
        "wagtail_localize:translations_report",
        "wagtailforms:delete_submissions",
        "wagtailadmin_reports:site_history_results",
        "wagtailsnippets_communes_banner:revisions_compare",
        "directory_import",
        "search-promotions:index",
        "newcomers-applications:index",
        "newcomers-applications:edit",
        "newcomers-partners:index",
        "accounts-editors:collectivite",
        "accounts-editors:suspend",
    ):
        assert name in names


def test_every_admin_url_is_guarded_or_declared_with_a_reason():
    """Guarded: the guard knows the model of every object id in its path. Declared: Pays
    staff only, or its view checks the tenancy (communes.admin_guard), with a reason."""
    failures = []
    for name, route, pattern in admin_patterns():
        declared = admin_guard.declaration(name, pattern.callback)
        if declared is not None:
            if not declared[1].strip():
                failures.append(f"{name}: declared {declared[0]} without a reason")
            continue
        unresolved = admin_guard.unresolved_keywords(name, keywords(pattern), pattern.callback)
        if positional(pattern) and name not in admin_guard.POSITIONAL_VIEWS:
            unresolved.append("positional arguments")
        if unresolved:
            failures.append(f"{name or route}: {', '.join(unresolved)}")
    assert failures == [], "\n".join(failures)


def test_an_undeclared_view_with_an_unknown_id_is_caught():
    """The enumeration test can fail: an id the guard cannot place, on a view that does
    not declare itself."""

    def gadget(request, gadget_id):
        return None

    assert admin_guard.unresolved_keywords("gadgets:edit", ["gadget_id"], gadget) == ["gadget_id"]
    # A model that communes.reach neither places in a collectivité nor declares shared.
    from search.models import Promotion

    def promotion(request, pk):
        return None

    promotion.view_initkwargs = {"model": Promotion}
    assert admin_guard.unresolved_keywords("promotions:edit", ["pk"], promotion) == [
        "pk (search.Promotion: neither in reach nor shared)"
    ]
    marked = admin_guard.tenancy_checked_by_view("gadgets of request.user only")(gadget)
    assert admin_guard.declaration("gadgets:edit", marked)[0] == admin_guard.CHECKED_BY_VIEW_MARK
    with pytest.raises(ValueError):
        admin_guard.pays_staff_only("")


# What fills each path keyword: B's objects (w is the world), or values that name none.
def _b_object_of(model, w):
    from directory.models import ServiceEntry

    targets = [
        (Page, w["news"].pk),
        (SiteImage, w["image"].pk),
        (SiteDocument, w["document"].pk),
        (Banner, w["banner"].pk),
        (ServiceEntry, w["entry"].pk),
        (Site, w["b"].site_id),
        (get_user_model(), w["b_user"].pk),
        (Collection, w["b"].collection_id),
        (FormSubmission, w["submission"].pk),
        (Revision, w["draft"].pk),
    ]
    for klass, pk in targets:
        if issubclass(model, klass):
            return pk
    first = model._default_manager.order_by("pk").first()
    return first.pk if first is not None else 1


def fill_keywords(name, pattern, w):
    """Path kwargs naming B's objects, by keyword (and by the view's model for `pk`)."""
    snippet = name.startswith("wagtailsnippets")
    values = {
        "page_id": (w["contact"] if name.startswith("wagtailforms") else w["news"]).pk,
        "page_pk": w["news"].pk,
        "page_to_move_id": w["news"].pk,
        "parent_page_id": w["news"].get_parent().pk,
        "destination_id": w["news"].get_parent().pk,
        "image_id": w["image"].pk,
        "document_id": w["document"].pk,
        "doc_id": w["document"].pk,
        "revision_id": (w["banner_revision"] if snippet else w["draft"]).pk,
        "revision_id_a": w["banner_revision"].pk,
        "revision_id_b": "latest",
        "task_state_id": w["task_state"].pk,
        "workflow_state_id": w["workflow_state"].pk,
        "task_id": w["task_state"].task_id,
        "workflow_pk": w["workflow_state"].workflow_id,
        "collection_id": w["b"].collection_id,
        "uploaded_file_id": w["upload"].pk,
        "session_id": w["session"].pk,
        "redirect_id": 1,
        "translation_id": w["translation"].pk,
        "translation_source_id": w["source"].pk,
        "string_segment_id": getattr(
            StringSegment.objects.filter(source=w["source"]).first(), "pk", 1
        ),
        "overridable_segment_id": 1,
        # accounts-editors: (Pays team only): B and its secretary.
        "collectivite_id": w["b"].pk,
        "user_id": w["b_user"].pk,
        "content_type_app_name": "communes",
        "content_type_model_name": "newspage",
        "action_name": "delete" if name.startswith("wagtailadmin_api") else "approve",
        "mode": "default",
        "filter_spec": "original",
        "uidb64": "MQ",
        "token": "x-y",
        "screenshot": "01-se-connecter.png",  # communes_guide_image: the same for everyone
    }
    app_model = {
        "wagtailadmin_editing_sessions:ping": ("wagtailcore", "page"),
        "wagtailadmin_pages:choose_parent": ("communes", "newspage"),
        "wagtailadmin_workflows:add_task": ("wagtailcore", "groupapprovaltask"),
        "wagtailsettings:edit": ("themes", "themesettings"),
        "wagtailsettings:preview_on_edit": ("themes", "themesettings"),
        "wagtailadmin_tag_model_autocomplete": ("communes", "siteimage"),
    }.get(name, ("communes", "banner"))
    kwargs = {}
    for key in keywords(pattern):
        if key in ("app_label", "app_name"):
            kwargs[key] = app_model[0]
        elif key == "model_name":
            kwargs[key] = app_model[1]
        elif key in ("pk", "object_id"):
            model = admin_guard.view_model(name, kwargs, pattern.callback)
            kwargs[key] = _b_object_of(model, w) if model is not None else 1
        else:
            kwargs[key] = values[key]
    return kwargs


# Not requested by the matrix, with the reason.
NOT_REQUESTED = {
    "wagtailadmin_logout": "would end the secretary's session and make the rest vacuous",
    "wagtailadmin_error_test": "raises on purpose (Wagtail's error page test)",
}
# Wagtail 7.4 views that raise on an empty POST, whoever posts: not a tenancy matter (their
# answers are still checked for B's titles when they answer).
WAGTAIL_FAULTS = {
    "wagtailadmin_choose_page_external_link": "reads POST['external-link-chooser-url']",
}


def references_a_tenant_object(name, pattern, kwargs):
    args = []
    try:
        refs = admin_guard.path_references(name, args, kwargs, pattern.callback)
    except admin_guard.Unresolved:
        return True
    return any(is_tenant_model(model) for model, _values, _navigation in refs)


def id_parameters(name, kwargs, pattern, w):
    """B's ids in every parameter the guard reads, for the view's own `id` too."""
    params = {
        "selected-submissions": w["submission"].pk,
        "new_parent_page": w["news"].get_parent().pk,
        "revision_id": w["draft"].pk,
        "collection": w["b"].collection_id,
        "collection_id": w["b"].collection_id,
        "child_of": w["news"].get_parent().pk,
        "descendant_of": w["news"].get_parent().pk,
        "ancestor_of": w["news"].pk,
        "translation_of": w["news"].pk,
        "parent_page_id": w["news"].get_parent().pk,
    }
    model = admin_guard.view_model(name, kwargs, pattern.callback)
    if model is not None:
        params["id"] = _b_object_of(model, w)
    return params


def bulk_requests(w):
    """(url, post data, refused) of every bulk action of every model with B's objects."""
    from communes.models import Collectivite
    from directory.models import ServiceEntry

    targets = [
        (Page, w["news"].pk, w["news"].get_parent().pk),
        (SiteImage, w["image"].pk, w["b"].collection_id),
        (SiteDocument, w["document"].pk, w["b"].collection_id),
        (Banner, w["banner"].pk, None),
        (ServiceEntry, w["entry"].pk, None),
        (get_user_model(), w["b_user"].pk, None),
        (Collectivite, w["b"].pk, None),
    ]
    requests = []
    for model, pk, parent in targets:
        opts = model._meta
        actions = bulk_action_registry.get_bulk_actions_for_model(opts.app_label, opts.model_name)
        assert actions, opts.label
        for action in actions:
            url = reverse(
                "wagtail_bulk_action", args=(opts.app_label, opts.model_name, action.action_type)
            )
            tenant = is_tenant_model(model)
            data = {"id": pk, "include_descendants": "on"}
            requests.append((f"{url}?id={pk}", data, tenant))
            requests.append((f"{url}?{urlencode({'id': pk, 'q': MARK})}", {}, tenant))
            if parent is not None:
                query = urlencode({"id": "all", "childOf": parent})
                requests.append((f"{url}?{query}", {}, tenant))
            # "All" of the listing, by GET only (a POST would act on A's own objects).
            requests.append((f"{url}?id=all&q={MARK}", None, tenant))
    return requests


# The walk below is cut in shards that run on both cores; together they request every
# pattern (test_the_admin_walk_covers_every_pattern counts them).
SHARDS = 4


def walked_patterns():
    """The admin URL patterns the walk requests: all but the catch-all and those it cannot
    request (NOT_REQUESTED, the bulk actions, walked apart)."""
    return [
        (name, route, pattern)
        for name, route, pattern in admin_patterns()
        if name not in NOT_REQUESTED
        and name != "wagtail_bulk_action"
        and (name or not re.search(r"[<^(]", route))
    ]


def test_the_admin_walk_covers_every_pattern():
    walked = walked_patterns()
    assert len(walked) > 300
    assert sum(len(walked[shard::SHARDS]) for shard in range(SHARDS)) == len(walked)


@pytest.mark.long
@pytest.mark.parametrize("shard", range(SHARDS))
def test_secretary_of_a_gets_nothing_of_b_through_any_admin_url(world_ab, shard):
    """Every admin URL pattern, by GET and POST, with B's ids in the path, the query string
    and the body: nothing of B shown, nothing changed."""
    w = world_ab
    client = w["client"]
    before = snapshot()
    failures = []

    def request(method, url, data=None, *, must_refuse=False, name=""):
        try:
            response = client.get(url) if method == "get" else client.post(url, data or {})
        except Exception as exc:  # noqa: BLE001 - a 500: reported with the others
            if name not in WAGTAIL_FAULTS:
                failures.append(f"{method.upper()} {url} raised {exc!r}")
            return
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace")
        if leaks(body):
            failures.append(f"{method.upper()} {url} → {response.status_code} shows B")
        elif response.status_code >= 500:
            failures.append(f"{method.upper()} {url} → {response.status_code}")
        elif must_refuse and response.status_code not in (302, 403, 404, 405):
            failures.append(f"{method.upper()} {url} → {response.status_code}, not refused")

    requested = 0
    mine = walked_patterns()[shard::SHARDS]
    for name, route, pattern in mine:
        if name:
            kwargs = fill_keywords(name, pattern, w)
            args = []
            if positional(pattern):
                args = [w["news"].pk, "live", w["draft"].pk]
            try:
                url = reverse(name, args=args) if args else reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                failures.append(f"cannot fill {name} ({route})")
                continue
        else:
            url, kwargs = "/" + route, {}
        refuse = references_a_tenant_object(name, pattern, kwargs)
        params = id_parameters(name, kwargs, pattern, w)
        query = urlencode(params)
        request("get", url, must_refuse=refuse)
        if refuse and name.startswith("wagtailforms"):
            request("get", f"{url}?export=csv", must_refuse=True)
        if not refuse:  # a listing: searched for B's titles, and exported
            request("get", f"{url}?{urlencode({'q': MARK})}")
            request("get", f"{url}?export=csv")
        if "id" in params:  # alone too: the other parameters would answer 404 by themselves
            request("get", f"{url}?{urlencode({'id': params['id']})}")
        request("get", f"{url}?{query}")
        request("post", url, must_refuse=refuse, name=name)
        request("post", f"{url}?{query}", params, name=name)
        requested += 1
    bulk = bulk_requests(w)
    for url, data, tenant in bulk[shard::SHARDS]:
        request("get", url, must_refuse=tenant and data is not None)
        if data is not None:
            request("post", url, data, must_refuse=tenant)
        requested += 1
    assert failures == [], "\n".join(failures)
    assert requested == len(mine) + len(bulk[shard::SHARDS]) > 0
    assert snapshot() == before


def test_bulk_actions_and_the_translation_api_refuse_b_and_serve_a(world_ab):
    """The attacks of issue 12, by name; and the same bulk action on A's own banner works."""
    w = world_ab
    client = w["client"]
    bulk = "wagtail_bulk_action"
    delete_banners = reverse(bulk, args=("communes", "banner", "delete"))
    response = client.post(f"{delete_banners}?id={w['banner'].pk}", {"id": w["banner"].pk})
    assert response.status_code == 404
    assert Banner.objects.filter(pk=w["banner"].pk).exists()
    for app_label, model_name, action, pk in [
        ("wagtailcore", "page", "delete", w["news"].pk),
        ("wagtailcore", "page", "move", w["news"].pk),
        ("communes", "siteimage", "delete", w["image"].pk),
        ("communes", "sitedocument", "add_to_collection", w["document"].pk),
    ]:
        url = reverse(bulk, args=(app_label, model_name, action))
        assert client.get(f"{url}?id={pk}").status_code == 404, url
    api = reverse("wagtail_localize:snippets_api_listing", args=("communes", "banner"))
    assert client.get(api).status_code == 404

    own = Banner.objects.create(
        title="Bandeau de A", end="2099-01-01T00:00Z", site_id=w["a"].site_id, live=True
    )
    listing = client.get(f"{delete_banners}?id=all").content.decode()
    assert "Bandeau de A" in listing and not leaks(listing)
    response = client.post(f"{delete_banners}?id={own.pk}", {})
    assert response.status_code == 302
    assert not Banner.objects.filter(pk=own.pk).exists()
    assert Banner.objects.filter(pk=w["banner"].pk).exists()
