"""One guard in front of every admin view: nothing of another collectivité, by any id.

Wagtail checks permissions per page subtree, per collection and per model; a secretary may
edit banners, so Wagtail lets them reach every banner, and several admin views answer for
any id without a check at all (choosers' "chosen" endpoints, bulk action pages, the admin
and wagtail-localize APIs). For users outside the Pays team, this middleware reads every
object id a request names, before the view runs:

- in the URL path, by the name of the keyword (`page_id`, `image_id`, `pk`...: KWARG_MODELS,
  and `pk` is the view's own model);
- in the query string and the POST body (ID_PARAMS: `id` of bulk actions and choosers,
  `selected-submissions`, `new_parent_page`, the API's `child_of`...);

and answers 404 when one of them is out of the user's reach (communes.reach), as if it did
not exist. A path keyword it cannot tell the model of, or an id of a model that
communes.reach neither places in a collectivité nor declares shared, is a 404 too: the
guard fails closed.
Bulk actions "on all" (`?id=all`) are narrowed to the objects in reach. Reports that
Wagtail narrows by model permission are answered by narrowed subclasses
(communes.admin_reports).

A new admin view either names its objects with the keywords above (and is then guarded),
or declares itself, with a reason the isolation test prints:

    from communes.admin_guard import pays_staff_only, tenancy_checked_by_view

    @pays_staff_only("the Pays team's login log")          # 403 for everyone else
    def login_log(request): ...

    @tenancy_checked_by_view("lists only request.user's own devices")
    class DeviceListView(View): ...

or, for a view one cannot decorate, adds its URL name (or "namespace:") to
PAYS_STAFF_ONLY or CHECKED_BY_VIEW below (a section, from its AppConfig.ready(), with
`declare_pays_staff_only`). tests/test_isolation.py enumerates every admin URL
and fails on one that is neither guarded nor declared.
"""

import inspect

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from communes.reach import is_known_model, is_tenant_model, narrow, objects_out_of_reach
from communes.tenancy import tenancy_for

PAYS_STAFF = "pays-staff-only"
CHECKED_BY_VIEW_MARK = "checked-by-view"

# URL names, or "namespace:" for all the URLs of a namespace, that only the Pays team
# reaches: what they show or change is not one collectivité's.
PAYS_STAFF_ONLY = {
    "wagtailadmin_api:images:listing": "lists every image; the choosers are narrowed instead",
    "wagtailadmin_api:images:find": "finds any image by id",
    "wagtailadmin_api:documents:listing": "lists every document",
    "wagtailadmin_api:documents:find": "finds any document by id",
    "wagtailadmin_reports:page_types_usage": "counts pages of every site",
    "wagtailadmin_reports:page_types_usage_results": "counts pages of every site",
    "wagtailadmin_collections:": "collections are set up by provisioning",
    "wagtailadmin_workflows:": "workflows and tasks are the Pays team's moderation",
    "wagtailredirects:": "redirects of every site in one listing",
    "wagtailsites:": "sites are made by provisioning",
    "wagtaillocales:": "languages are the whole Pays's",
    "wagtailusers_users:": "accounts of every collectivité",
    "wagtailusers_groups:": "groups of every collectivité",
    "search-promotions:": "promoted search results of every site",
    "provisioning_log:": "the factory's journal of every collectivité",
}

# URL names whose view narrows itself to the user's reach (or to the user's own objects).
CHECKED_BY_VIEW = {}

# Path keywords that name no object.
NOT_OBJECT_IDS = {
    "content_type_app_name",
    "content_type_model_name",
    "app_label",
    "app_name",
    "model_name",
    "action",
    "action_name",
    "mode",
    "filter_spec",
    "uidb64",
    "token",
    "screenshot",  # a picture of the editors' guide (communes_guide_image), the same for all
}


def _model(label):
    return lambda: apps.get_model(label)


# Path keywords, and the model whose id they carry.
KWARG_MODELS = {
    "page_id": lambda: Page,
    "parent_page_id": lambda: Page,
    "page_to_move_id": lambda: Page,
    "destination_id": lambda: Page,
    "page_pk": lambda: Page,
    "image_id": get_image_model,
    "document_id": get_document_model,
    "doc_id": get_document_model,
    "revision_id": lambda: Revision,
    "revision_id_a": lambda: Revision,
    "revision_id_b": lambda: Revision,
    "task_state_id": _model("wagtailcore.TaskState"),
    "workflow_state_id": _model("wagtailcore.WorkflowState"),
    "task_id": _model("wagtailcore.Task"),
    "workflow_pk": _model("wagtailcore.Workflow"),
    "collection_id": lambda: Collection,
    "uploaded_file_id": _model("wagtailcore.UploadedFile"),
    "session_id": _model("wagtailadmin.EditingSession"),
    "redirect_id": _model("wagtailredirects.Redirect"),
    "translation_id": _model("wagtail_localize.Translation"),
    "translation_source_id": _model("wagtail_localize.TranslationSource"),
    "string_segment_id": _model("wagtail_localize.StringSegment"),
    "overridable_segment_id": _model("wagtail_localize.OverridableSegment"),
}

# Query-string and POST parameters that carry ids, and their model; None: the view's own
# model (the one its `pk` names).
ID_PARAMS = {
    "id": None,
    "selected-submissions": _model("wagtailforms.FormSubmission"),
    "new_parent_page": lambda: Page,
    "revision_id": lambda: Revision,
    "collection": lambda: Collection,
    "collection_id": lambda: Collection,
}
# Page ids from which one browses down to one's own pages: their ancestors are in reach.
NAVIGATION_PARAMS = ("child_of", "descendant_of", "ancestor_of", "translation_of", "parent_page_id")
NAVIGATION_VIEWS = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_api:pages:detail",
    "wagtailadmin_api:pages:action",
}

# Views whose path carries positional ids (a regular expression with unnamed groups).
POSITIONAL_VIEWS = {"wagtailadmin_pages:revisions_compare"}

# The model of `pk` (and of `id`) for views that do not say it themselves.
VIEW_MODELS = {
    "wagtailadmin_api:pages": lambda: Page,
    "wagtailadmin_api:images": get_image_model,
    "wagtailadmin_api:documents": get_document_model,
    "wagtailsettings": _model("wagtailcore.Site"),  # site settings: the pk is the site's
    "wagtailadmin_choose_page_chosen_multiple": lambda: Page,
}

# Listings that take their model from the URL and cannot be narrowed: a model of one
# collectivité (banners, directory entries) is not listed there outside the Pays team.
# wagtail-localize's snippet API serves the choosers of its translation editor, and no
# translatable content chooses such a model.
MODEL_LISTINGS = {"wagtail_localize:snippets_api_listing"}


def declare_pays_staff_only(reasons):
    """A section's admin URLs ({"name" or "namespace:": reason}) that only the Pays team
    reaches, declared from its AppConfig.ready()."""
    PAYS_STAFF_ONLY.update(reasons)


def pays_staff_only(reason):
    """Mark a view (function or class) as the Pays team's only: 403 for anyone else."""
    return _mark(PAYS_STAFF, reason)


def tenancy_checked_by_view(reason):
    """Mark a view (function or class) that narrows itself to the user's reach."""
    return _mark(CHECKED_BY_VIEW_MARK, reason)


def _mark(kind, reason):
    if not reason:
        raise ValueError("Say why.")

    def mark(view):
        view.bastide_tenancy = (kind, str(reason))
        return view

    return mark


def declaration(name, view_func):
    """(kind, reason) of a URL declared Pays-only or checked by its view, else None."""
    for registry, kind in ((PAYS_STAFF_ONLY, PAYS_STAFF), (CHECKED_BY_VIEW, CHECKED_BY_VIEW_MARK)):
        if name in registry:
            return kind, registry[name]
        namespace = name.rsplit(":", 1)[0] + ":" if ":" in name else None
        if namespace and namespace in registry:
            return kind, registry[namespace]
    seen = set()
    while view_func is not None and id(view_func) not in seen:
        seen.add(id(view_func))
        for holder in (view_func, getattr(view_func, "view_class", None)):
            mark = getattr(holder, "bastide_tenancy", None)
            if mark:
                return mark
        view_func = getattr(view_func, "__wrapped__", None)
    return None


class Unresolved(Exception):
    """A path keyword whose model the guard cannot tell."""


def _resolve(function):
    try:
        return function()
    except LookupError:
        return None


def view_model(name, kwargs, view_func):
    """The model that the view's `pk`, `object_id` and `id` name, or None."""
    for key in (name, name.rsplit(":", 1)[0]):
        if key in VIEW_MODELS:
            return _resolve(VIEW_MODELS[key])
    app_label = kwargs.get("app_label")
    if app_label and kwargs.get("model_name"):
        try:
            return apps.get_model(app_label, kwargs["model_name"])
        except LookupError:
            return None
    model = getattr(view_func, "view_initkwargs", {}).get("model")
    if isinstance(model, str):
        model = _resolve(_model(model))
    return model


def path_references(name, args, kwargs, view_func):
    """[(model, values, navigation)] named in the URL path; raises Unresolved."""
    navigation = name in NAVIGATION_VIEWS
    references = []
    for key, value in kwargs.items():
        if key in NOT_OBJECT_IDS:
            continue
        if key in ("pk", "object_id"):
            model = view_model(name, kwargs, view_func)
        elif key in KWARG_MODELS:
            model = _resolve(KWARG_MODELS[key])
        else:
            raise Unresolved(key)
        if model is None:
            if name.startswith("wagtail_localize:snippets_api"):
                continue  # an unknown model: the view answers 404
            raise Unresolved(key)
        references.append((model, [value], navigation))
    if name in POSITIONAL_VIEWS and args:
        references.append((Page, [args[0]], False))
        revisions = [a for a in args[1:] if str(a).isdigit()]
        references.append((Revision, revisions, False))
    elif args:
        raise Unresolved("positional arguments")
    return references


def unresolved_keywords(name, keywords, view_func):
    """The path keywords of a URL pattern whose model the guard cannot tell (for the
    isolation test, which enumerates the URL patterns)."""
    fake = dict.fromkeys(keywords, "1")
    unresolved = []
    for key in keywords:
        if key in NOT_OBJECT_IDS:
            continue
        if key in ("pk", "object_id") and "app_label" in keywords:
            continue  # the model is in the URL itself, checked when requested
        if key in ("pk", "object_id"):
            model = view_model(name, fake, view_func)
        else:
            model = _resolve(KWARG_MODELS[key]) if key in KWARG_MODELS else None
        if model is None:
            unresolved.append(key)
        elif not is_known_model(model):
            unresolved.append(f"{key} ({model._meta.label}: neither in reach nor shared)")
    return unresolved


def parameter_references(request, name, kwargs, view_func):
    """[(model, values, navigation)] named in the query string and the POST body."""
    references = []
    data = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        data.append(request.POST)
    for query in data:
        for key, model_function in ID_PARAMS.items():
            values = [v for v in query.getlist(key) if v and v != "all"]
            if not values:
                continue
            model = (
                view_model(name, kwargs, view_func)
                if model_function is None
                else _resolve(model_function)
            )
            if model is not None:
                references.append((model, values, False))
        for key in NAVIGATION_PARAMS:
            values = [v for v in query.getlist(key) if v.isdigit()]
            if values:
                references.append((Page, values, True))
    return references


def narrow_bulk_action(request, kwargs, tenancy):
    """`?id=all` selects every object of a listing: keep those in reach."""
    if "all" not in request.GET.getlist("id"):
        return
    try:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except LookupError:
        return
    action_class = bulk_action_registry.get_bulk_action_class(
        kwargs["app_label"], kwargs["model_name"], kwargs["action"]
    )
    if action_class is None:
        return
    parent = request.GET.get("childOf")
    if parent and objects_out_of_reach(
        tenancy, Page if issubclass(model, Page) else Collection, [parent]
    ):
        raise Http404
    listing = action_class(request, model).get_all_objects_in_listing_query(parent)
    pks = [getattr(item, "pk", item) for item in listing]
    reachable = narrow(tenancy, model._default_manager.filter(pk__in=pks))
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in reachable.values_list("pk", flat=True)])
    request.GET = QueryDict(query.urlencode())


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
        name = match.view_name or ""
        if not request.path_info.startswith("/admin/") or name == "wagtail_serve":
            return None
        tenancy = tenancy_for(request)
        if tenancy.is_pays_staff:
            return None
        declared = declaration(name, view_func)
        if declared is not None:
            if declared[0] == PAYS_STAFF:
                raise PermissionDenied
            return None
        try:
            references = path_references(name, view_args, view_kwargs, view_func)
        except Unresolved:
            raise Http404 from None
        if name in MODEL_LISTINGS:
            model = view_model(name, view_kwargs, view_func)
            if model is not None and is_tenant_model(model):
                raise Http404
        references += parameter_references(request, name, view_kwargs, view_func)
        for model, values, navigation in references:
            if not is_known_model(model):
                raise Http404  # neither in reach nor shared: fail closed
            if objects_out_of_reach(tenancy, model, values, navigation):
                raise Http404
        if name == "wagtail_bulk_action":
            narrow_bulk_action(request, view_kwargs, tenancy)
        return self.narrowed_view(request, view_func, view_args, view_kwargs)

    def narrowed_view(self, request, view_func, view_args, view_kwargs):
        from communes.admin_reports import NARROWED_FUNCTIONS, NARROWED_VIEWS

        narrowed = NARROWED_VIEWS.get(getattr(view_func, "view_class", None))
        if narrowed is not None:
            view = require_admin_access(narrowed.as_view(**view_func.view_initkwargs))
            return view(request, *view_args, **view_kwargs)
        function = inspect.unwrap(view_func)
        if function in NARROWED_FUNCTIONS:
            view = require_admin_access(NARROWED_FUNCTIONS[function])
            return view(request, *view_args, **view_kwargs)
        return None
