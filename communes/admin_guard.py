"""One guard in front of the admin views that take an object id.

Wagtail checks page permissions on its edit views, but several admin URLs answer for any
id: "chosen" endpoints of choosers, usage and preview views, the admin API detail, the
page chooser's browsing. A secretary must not learn even the title of another commune's
page, image or document through them. For users outside the Pays team, every admin URL
that names a page, image or document is checked against the user's reach before the view
runs; an object out of reach is a 404, as if it did not exist.
"""

from django.apps import apps
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.models import Page

from communes.tenancy import tenancy_for

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Views where an ancestor of the user's sites may be shown, to navigate down to them.
NAVIGATION_VIEWS = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
}
IMAGE_VIEWS = {"wagtailimages_chooser:chosen", "wagtailadmin_api:images:detail"}
DOCUMENT_VIEWS = {"wagtaildocs_chooser:chosen", "wagtailadmin_api:documents:detail"}
PAGE_API_VIEWS = {"wagtailadmin_api:pages:detail", "wagtailadmin_api:pages:action"}
# Listings that cannot be narrowed to a user's sites: Pays team only.
PAYS_ONLY_VIEWS = {
    "wagtailadmin_api:images:listing",
    "wagtailadmin_api:images:find",
    "wagtailadmin_api:documents:listing",
    "wagtailadmin_api:documents:find",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}


def _page_in_reach(tenancy, page_id, navigation):
    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return True  # the view answers its own 404
    if tenancy.owns_page(page):
        return True
    return navigation and any(home.path.startswith(page.path) for home in tenancy.home_pages)


def _snippet_in_reach(user, namespace, pk):
    """Snippets whose viewset has an instance-aware permission policy (site-scoped ones)."""
    prefix = (
        "wagtailsnippetchoosers_"
        if namespace.startswith("wagtailsnippetchoosers_")
        else ("wagtailsnippets_")
    )
    app_label, _sep, model_name = namespace.removeprefix(prefix).partition("_")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return True
    viewset = getattr(model, "snippet_viewset", None)
    obj = model._default_manager.filter(pk=pk).first()
    if viewset is None or obj is None:
        return True
    return viewset.permission_policy.user_has_any_permission_for_instance(
        user, ["add", "change", "delete", "view", "publish"], obj
    )


def _media_in_reach(user, policy, model, pk):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        return True
    return policy.user_has_any_permission_for_instance(user, ["choose", "change"], obj)


class AdminTenancyGuard:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        name = match.view_name
        if name == "wagtail_serve" or not name.startswith("wagtail"):
            return None
        tenancy = tenancy_for(request)
        if tenancy.is_pays_staff:
            return None
        if not self.allowed(request, name, view_args, view_kwargs, tenancy):
            raise Http404
        return None

    def allowed(self, request, name, args, kwargs, tenancy):
        user = request.user
        if name in PAYS_ONLY_VIEWS:
            return False
        if name in IMAGE_VIEWS or name.startswith("wagtailimages:"):
            pk = kwargs.get("image_id") or kwargs.get("pk")
            if pk is not None:
                return _media_in_reach(user, image_policy, get_image_model(), pk)
        if name in DOCUMENT_VIEWS or name.startswith("wagtaildocs:"):
            pk = kwargs.get("document_id") or kwargs.get("doc_id") or kwargs.get("pk")
            if pk is not None:
                return _media_in_reach(user, document_policy, get_document_model(), pk)
        if name.startswith("wagtailsettings:") and "pk" in kwargs:
            # Site settings: the pk is the site's.
            return tenancy.owns_site(int(kwargs["pk"]))
        if name.startswith(("wagtailsnippets_", "wagtailsnippetchoosers_")) and "pk" in kwargs:
            return _snippet_in_reach(user, name.split(":", 1)[0], kwargs["pk"])
        if name in PAGE_API_VIEWS:
            return _page_in_reach(tenancy, kwargs.get("pk"), navigation=True)
        if name == "wagtailadmin_pages:revisions_compare" and args:
            return _page_in_reach(tenancy, args[0], navigation=False)
        navigation = name in NAVIGATION_VIEWS
        return all(
            _page_in_reach(tenancy, kwargs[key], navigation) for key in PAGE_KWARGS if key in kwargs
        )
