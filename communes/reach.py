"""Which objects are within a user's reach, model by model.

The admin guard (communes.admin_guard) asks this module about every object id a request
names. A model registered here belongs to one collectivité (directly, or through a page,
a collection, a site...). A model shared by the whole Pays (the registry, categories,
locales, workflow tasks) is declared in SHARED_MODELS with a reason, a section's own with
`declare_shared`: model permissions alone govern it. The guard refuses ids of a model that
is neither: a new app's models are not assumed shared.

Register a new per-collectivité model with `register_reach(Model)(function)`, the function
taking (tenancy, object) and answering whether the object is the user's. Snippets whose
viewset has a ScopedPermissionPolicy (communes.permissions) need nothing more: their policy
already says what is in reach.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.documents import get_document_model
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images import get_image_model
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.models import (
    Collection,
    Page,
    Revision,
    Site,
    TaskState,
    UploadedFile,
    WorkflowState,
)

from communes.permissions import ScopedPermissionPolicy

_REACH = {}
_NARROW = {}

# Models shared by the whole Pays: their ids are governed by model permissions alone.
SHARED_MODELS = {
    "communes.Collectivite": "the registry of the Pays: names and codes, public data",
    "wagtailcore.Locale": "the languages of every site",
    "wagtailcore.Task": "moderation tasks, set up by the Pays team",
    "wagtailcore.Workflow": "moderation workflows, set up by the Pays team",
}


def declare_shared(reasons):
    """A section's models shared by the whole Pays ({"app.Model": reason}), declared from its
    AppConfig.ready()."""
    SHARED_MODELS.update(reasons)


def register_reach(model):
    def register(function):
        _REACH[model] = function
        return function

    return register


def reach_function(model):
    """How to tell whether an object of `model` is in reach, or None if it is not one
    collectivité's."""
    for klass in model.__mro__:
        if klass in _REACH:
            return _REACH[klass]
    viewset = getattr(model, "snippet_viewset", None)
    policy = getattr(viewset, "permission_policy", None) if viewset else None
    if isinstance(policy, ScopedPermissionPolicy):
        return lambda tenancy, obj: policy.in_reach(tenancy, obj)
    return None


def register_narrowing(model):
    """How to narrow a queryset of `model` in SQL (else objects are checked one by one)."""

    def register(function):
        _NARROW[model] = function
        return function

    return register


def narrow(tenancy, queryset):
    """The objects of `queryset` within the user's reach."""
    model = queryset.model
    if tenancy.is_pays_staff or not is_tenant_model(model):
        return queryset
    for klass in model.__mro__:
        if klass in _NARROW:
            return _NARROW[klass](tenancy, queryset)
    viewset = getattr(model, "snippet_viewset", None)
    policy = getattr(viewset, "permission_policy", None) if viewset else None
    if isinstance(policy, ScopedPermissionPolicy):
        return policy.narrow(queryset, tenancy)
    return queryset.filter(pk__in=[obj.pk for obj in queryset if in_reach(tenancy, obj)])


def is_tenant_model(model):
    return reach_function(model) is not None


def is_shared_model(model):
    return any(
        getattr(getattr(klass, "_meta", None), "label", None) in SHARED_MODELS
        for klass in model.__mro__
    )


def is_known_model(model):
    return is_tenant_model(model) or is_shared_model(model)


def in_reach(tenancy, obj):
    if tenancy.is_pays_staff or obj is None:
        return True
    function = reach_function(type(obj))
    return function is None or function(tenancy, obj)


def _pks(model, values):
    """The values that can be primary keys of `model` (others are left to the view)."""
    field = model._meta.pk
    pks = []
    for value in values:
        try:
            pks.append(field.to_python(value))
        except Exception:  # noqa: BLE001, S112 - a malformed id is the view's 404 to answer
            continue
    return pks


def objects_out_of_reach(tenancy, model, values, navigation=False):
    """The objects of `model`, among those whose ids are `values`, that the user may not see.

    Ids of no object are not reported: the view answers its own 404 for them."""
    if tenancy.is_pays_staff or not values or not is_tenant_model(model):
        return []
    pks = _pks(model, values)
    if not pks:
        return []
    if issubclass(model, Page):
        pages = Page.objects.filter(pk__in=pks).only("path", "depth")
        return [page for page in pages if not page_in_reach(tenancy, page, navigation)]
    return [obj for obj in model._default_manager.filter(pk__in=pks) if not in_reach(tenancy, obj)]


def page_in_reach(tenancy, page, navigation=False):
    """A page of the user's sites; with `navigation`, an ancestor of them too (to browse
    down to them in the explorer or the page chooser)."""
    if tenancy.owns_page(page):
        return True
    return navigation and any(home.path.startswith(page.path) for home in tenancy.home_pages)


@register_reach(Page)
def _page(tenancy, page):
    return page_in_reach(tenancy, page)


@register_narrowing(Page)
def _narrow_pages(tenancy, pages):
    return pages.filter(tenancy.page_filter())


@register_narrowing(Site)
def _narrow_sites(tenancy, sites):
    return sites.filter(pk__in=tenancy.site_ids)


@register_reach(Site)
def _site(tenancy, site):
    return tenancy.owns_site(site.pk)


def _media(policy):
    def check(tenancy, obj):
        return policy.user_has_any_permission_for_instance(tenancy.user, ["choose", "change"], obj)

    return check


def _narrow_media(policy):
    def narrow_media(tenancy, queryset):
        reachable = policy.instances_user_has_any_permission_for(tenancy.user, ["choose", "change"])
        return queryset.filter(pk__in=reachable.values("pk"))

    return narrow_media


for _model, _policy in ((get_image_model(), image_policy), (get_document_model(), document_policy)):
    register_reach(_model)(_media(_policy))
    register_narrowing(_model)(_narrow_media(_policy))


@register_reach(Collection)
def _collection(tenancy, collection):
    """A collection is out of reach when it is (or is within) another collectivité's."""
    from communes.models import Collectivite

    others = Collection.objects.filter(
        pk__in=Collectivite.objects.exclude(pk__in=tenancy.collectivite_ids)
        .exclude(collection=None)
        .values("collection_id")
    )
    return not any(collection.path.startswith(other.path) for other in others)


def _content_object_in_reach(tenancy, content_type, object_id):
    model = content_type.model_class() if content_type else None
    if model is None or not is_tenant_model(model):
        return True
    return not objects_out_of_reach(tenancy, model, [object_id])


@register_reach(Revision)
def _revision(tenancy, revision):
    return _content_object_in_reach(tenancy, revision.base_content_type, revision.object_id)


@register_reach(WorkflowState)
def _workflow_state(tenancy, state):
    return _content_object_in_reach(tenancy, state.base_content_type, state.object_id)


@register_reach(TaskState)
def _task_state(tenancy, state):
    return _workflow_state(tenancy, state.workflow_state)


@register_reach(UploadedFile)
def _uploaded_file(tenancy, upload):
    return upload.uploaded_by_user_id == tenancy.user.pk


@register_reach(get_user_model())
def _user(tenancy, user):
    # Accounts are the Pays team's to manage; one's own is reached through "Mon compte".
    return user.pk == tenancy.user.pk


@register_narrowing(get_user_model())
def _narrow_users(tenancy, users):
    return users.filter(pk=tenancy.user.pk)


def _register_wagtail_models():
    from wagtail.admin.models import EditingSession
    from wagtail.contrib.forms.models import FormSubmission

    register_reach(EditingSession)(lambda tenancy, s: s.user_id == tenancy.user.pk)
    register_reach(FormSubmission)(lambda tenancy, s: _content_in_reach(tenancy, Page, s.page_id))


def _content_in_reach(tenancy, model, pk):
    return not objects_out_of_reach(tenancy, model, [pk])


def _register_localize_models():
    if not apps.is_installed("wagtail_localize"):
        return
    from wagtail_localize.models import (
        OverridableSegment,
        StringSegment,
        Translation,
        TranslationSource,
    )

    @register_reach(TranslationSource)
    def _source(tenancy, source):
        model = source.specific_content_type.model_class()
        if model is None or not is_tenant_model(model):
            return True
        if issubclass(model, Page):
            pages = Page.objects.filter(translation_key=source.object_id).only("path", "depth")
            return any(page_in_reach(tenancy, page) for page in pages)
        try:
            return in_reach(tenancy, source.get_source_instance())
        except model.DoesNotExist:
            return True

    register_reach(Translation)(lambda tenancy, t: _source(tenancy, t.source))
    register_reach(StringSegment)(lambda tenancy, s: _source(tenancy, s.source))
    register_reach(OverridableSegment)(lambda tenancy, s: _source(tenancy, s.source))


_register_wagtail_models()
_register_localize_models()


def translations_filter(tenancy):
    """A Q on wagtail-localize's Translation: those of the user's pages."""
    if tenancy.is_pays_staff:
        return Q()
    keys = Page.objects.filter(tenancy.page_filter()).values("translation_key")
    return Q(source__object_id__in=keys)


def generic_relation_filter(tenancy, queryset, content_type_field, object_id_field):
    """Narrow rows that point at objects through a (content type, object id) pair: log
    entries, workflow states, task states."""
    from django.contrib.contenttypes.models import ContentType

    if tenancy.is_pays_staff:
        return queryset
    tenant_types = []
    allowed = Q()
    content_type_ids = queryset.order_by().values_list(content_type_field, flat=True).distinct()
    for content_type_id in set(content_type_ids):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not is_tenant_model(model):
            continue
        tenant_types.append(content_type_id)
        pks = narrow(tenancy, model._default_manager.all()).values_list("pk", flat=True)
        allowed |= Q(
            **{content_type_field: content_type_id, f"{object_id_field}__in": [str(p) for p in pks]}
        )
    return queryset.filter(~Q(**{f"{content_type_field}__in": tenant_types}) | allowed)
