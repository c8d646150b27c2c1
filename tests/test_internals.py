"""The private parts of Wagtail, Django, treebeard, modelcluster and pytest-django that our code
relies on. None of them is documented API: an upgrade may rename or change one without a word.
Each test names where we rely on it, and fails loudly when the internal is gone or behaves
otherwise; the fix is then in the module named, not in this file.
"""

import inspect
import sys

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from treebeard.mp_tree import MP_Node
from wagtail.models import Page, Site

from communes.models import Collectivite
from conftest import COMMUNE_A


def params(function):
    return list(inspect.signature(function).parameters)


# -- Wagtail ---------------------------------------------------------------------------------


def test_wagtail_serves_the_route_found_on_the_request(communes):
    """serving/pages.py (serve): we find the route from memory and set it as
    `request._wagtail_route_for_request`; wagtail.views.serve must use it as it is."""
    from wagtail.views import serve

    bergerac = communes[COMMUNE_A].home_page.specific
    request = RequestFactory().get("/nowhere/", HTTP_HOST="pays.test")
    request._wagtail_route_for_request = bergerac.route(request, [])
    response = serve(request, "/nowhere/")
    assert response.status_code == 200
    assert response.context_data["page"] == bergerac

    # And Wagtail's own routing keeps its result there.
    request = RequestFactory().get("/", HTTP_HOST="pays.test")
    route = Page.route_for_request(request, "/")
    assert route is not None and request._wagtail_route_for_request is route
    assert route[0].pk == Collectivite.objects.get(code="PAYS").home_page_id


def test_wagtail_reads_the_site_root_paths_cached_on_the_request_or_the_page(communes):
    """serving/pages.py (cached pages, serve, home_page): we set
    `_wagtail_cached_site_root_paths` on requests and pages so Wagtail builds no URL from
    the database; Page._get_site_root_paths must read it from there."""
    page = communes[COMMUNE_A].home_page.specific
    request = RequestFactory().get("/", HTTP_HOST="pays.test")
    request._wagtail_cached_site_root_paths = []
    assert page._get_site_root_paths(request) == []
    assert page.get_url(request) is None  # no site root known: no URL

    page._wagtail_cached_site_root_paths = Site.get_site_root_paths()
    assert page._get_site_root_paths() is page._wagtail_cached_site_root_paths
    assert page.get_url() is not None


def test_wagtail_finds_a_pages_sites_through_the_method_we_replace(communes):
    """serving/siteurls.py (install): we replace `Page._get_relevant_site_root_paths` (a
    page's sites, found from its ancestors) and `Page.get_url` / `Page.url` (without
    counting every site). Wagtail's `get_url_parts`, which every URL goes through, must ask
    the first for the page's sites; the second must keep its signature."""
    from serving import siteurls

    assert "self._get_relevant_site_root_paths(request)" in inspect.getsource(Page.get_url_parts)
    assert Page._get_relevant_site_root_paths is siteurls._relevant_site_root_paths
    assert Page.url.fget is siteurls._get_url is Page.get_url
    assert params(siteurls._wagtail_get_url) == ["self", "request", "current_site"]
    assert params(siteurls._wagtail_relevant_site_root_paths) == ["self", "cache_object"]
    page = communes[COMMUNE_A].home_page.specific
    page._wagtail_cached_site_root_paths = ()  # no site at all: no URL
    assert page.get_url_parts() is None and page.url is None


def test_wagtail_reads_the_site_cached_on_the_request(db):
    """serving/pages.py (site_for_request): we set `request._wagtail_site`, as
    Site.find_for_request does and reads."""
    request = RequestFactory().get("/")
    marker = Site(hostname="marker.test")
    request._wagtail_site = marker
    assert Site.find_for_request(request) is marker


# -- Django ----------------------------------------------------------------------------------


def test_django_request_gives_the_raw_host_without_checking_allowed_hosts(settings):
    """serving/pages.py (site_for_request): request._get_raw_host(), as Wagtail's
    Site._find_for_request does, so that an unknown host finds no site rather than an error."""
    settings.ALLOWED_HOSTS = ["pays.test"]
    request = RequestFactory().get("/", HTTP_HOST="inconnu.example:8080")
    assert request._get_raw_host() == "inconnu.example:8080"


def test_django_keeps_the_on_commit_callbacks_as_savepoints_callback_robust(db):
    """search/signals.py (schedule): we look in `connection.run_on_commit` for our own
    pending callback, unpacking each entry as (savepoint ids, callback, robust)."""

    def callback():
        pass

    with transaction.atomic():
        transaction.on_commit(callback)
        sids, found, robust = connection.run_on_commit[-1]
        assert found is callback and robust is False
        assert isinstance(sids, set)


def test_django_inserts_rows_with_the_private_insert(db):
    """sitefactory/services/tree.py (insert_subtree): specific page rows go in with
    `model._base_manager._insert(objs, fields=..., raw=True)`."""
    from django.db.models.query import QuerySet

    assert {"objs", "fields", "raw"} <= set(params(QuerySet._insert))
    assert hasattr(Page._base_manager, "_insert")


def test_django_keeps_prefetched_rows_in_the_prefetch_cache(communes):
    """sitefactory/services/revisions.py (_serialise): we empty
    `_prefetched_objects_cache`, where prefetch_related leaves its rows."""
    from django.contrib.auth.models import Group

    group = Group.objects.prefetch_related("permissions").filter(permissions__isnull=False)[0]
    assert "permissions" in group._prefetched_objects_cache


# -- treebeard -------------------------------------------------------------------------------


def test_treebeard_paths_are_built_and_read_as_we_build_them():
    """sitefactory/services/tree.py and provisioning.py: pages and collections are inserted
    in bulk with paths made by MP_Node._get_path, children found with
    _get_children_path_interval, steps read with _str2int and steplen."""
    assert params(MP_Node._get_path) == ["path", "depth", "newstep"]
    assert params(MP_Node._get_children_path_interval) == ["path"]
    assert params(MP_Node._str2int) == ["num"]
    assert Page.steplen == 4
    assert Page._get_path("0001", 2, 3) == "00010003"
    assert Page._get_children_path_interval("0001") == ("00010000", "0001ZZZZ")
    assert Page._str2int("000A") == 10


# -- modelcluster ----------------------------------------------------------------------------


def test_modelcluster_reads_child_rows_from_the_cluster_related_objects(db):
    """sitefactory/services/revisions.py (_serialise_with): we set
    `page._cluster_related_objects` so that serializable_data() reads child rows from memory."""
    from modelcluster.models import get_all_child_relations

    relation = get_all_child_relations(Page)[0]
    page = Page(title="x", slug="x")
    page._cluster_related_objects = {relation.get_accessor_name(): []}
    with django_assert_no_queries():
        assert list(getattr(page, relation.get_accessor_name()).all()) == []


def django_assert_no_queries():
    from django.test.utils import CaptureQueriesContext

    class NoQueries(CaptureQueriesContext):
        def __exit__(self, *exc):
            super().__exit__(*exc)
            assert not self.captured_queries, self.captured_queries

    return NoQueries(connection)


# -- pytest-django (conftest.py) ---------------------------------------------------------------


def test_pytest_django_sets_the_database_up_through_its_db_helper(db):
    """conftest.py (pytest_fixture_setup): the shared sites are put in place when
    `_django_db_helper` is set up, before a test's transaction begins, and the migrated
    state is reloaded from `connection._test_serialized_contents`."""
    fixtures = sys.modules["pytest_django.fixtures"]
    assert "django_db_setup" in params(fixtures._django_db_helper)
    assert isinstance(connection._test_serialized_contents, str)
    assert callable(connection.creation.deserialize_db_from_string)


@pytest.mark.parametrize("name", ["db", "transactional_db"])
def test_pytest_django_db_fixtures_go_through_the_db_helper(name):
    fixtures = sys.modules["pytest_django.fixtures"]
    assert "_django_db_helper" in params(getattr(fixtures, name))


# -- The rest of the table in docs/architecture.md -------------------------------------------


def test_wagtail_memoises_the_resolved_subpage_types_on_the_class():
    """communes/sections.py (allow_below): a section adds its page type to a home page's
    `subpage_types` and forgets Wagtail's memo, `_clean_subpage_models`."""
    from communes.models import CollectiviteHomePage
    from directory.models import ServicesPage

    assert "_clean_subpage_models" in vars(Page)
    resolved = CollectiviteHomePage.clean_subpage_models()
    assert CollectiviteHomePage._clean_subpage_models is resolved
    assert ServicesPage in resolved


def test_django_redis_cache_keeps_its_client_in_cache():
    """health/cache.py: keys missed during an outage are deleted through `RedisCache._cache`
    (the client, which prefixes keys itself)."""
    from django.core.cache.backends.redis import RedisCache, RedisCacheClient
    from django.utils.functional import cached_property

    assert isinstance(vars(RedisCache)["_cache"], cached_property)
    assert {"delete_many", "get_client"} <= set(vars(RedisCacheClient))


def test_wagtail_spreadsheet_exports_write_rows_and_headings_through_these_methods():
    """communes/exports.py replaces `write_csv_row` and `get_heading` (both exports go
    through them) and calls `preprocess_field_value` with `FORMAT_CSV`."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    assert params(SpreadsheetExportMixin.write_csv_row) == ["self", "writer", "row_dict"]
    assert params(SpreadsheetExportMixin.get_heading) == ["self", "queryset", "field"]
    assert params(SpreadsheetExportMixin.preprocess_field_value) == [
        "self",
        "field",
        "value",
        "export_format",
    ]
    assert SpreadsheetExportMixin.FORMAT_CSV == "csv"


def test_wagtail_admin_api_actions_are_a_dict_on_the_viewset():
    """recyclebin/apps.py: the admin API's `delete` action is replaced in this dict."""
    from wagtail.admin.api.views import PagesAdminAPIViewSet

    from recyclebin.api import DeleteToRecycleBinAPIAction

    assert isinstance(PagesAdminAPIViewSet.actions, dict)
    assert PagesAdminAPIViewSet.actions["delete"] is DeleteToRecycleBinAPIAction


def test_wagtail_login_redirect_for_private_documents():
    """communes/services/document_access.py answers a private document as Wagtail does."""
    from wagtail.wagtail_hooks import require_wagtail_login

    assert params(require_wagtail_login) == ["next"]
    response = require_wagtail_login(next="/documents/1/a.pdf")
    assert response.status_code == 302
    assert "next=/documents/1/a.pdf" in response["Location"].replace("%2F", "/")


def test_wagtail_bulk_actions_know_their_listing_query():
    """communes/admin_guard.py narrows `?id=all` with the bulk action's listing query."""
    from wagtail.admin.views.bulk_action import BulkAction
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    assert params(bulk_action_registry.get_bulk_action_class) == [
        "app_label",
        "model_name",
        "action_type",
    ]
    assert params(BulkAction.get_all_objects_in_listing_query) == ["self", "parent_id"]
