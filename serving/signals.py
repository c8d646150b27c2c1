"""What keeps the content versions in step with the content (serving.cache): each change
bumps the versions of the sites it shows on, or the Pays-wide one, or the structure.

- A page published, unpublished, moved, deleted or saved live: the sites it belongs to, and
  the portal, which gathers what the communes publish (its agenda, its news). A page of the
  portal itself (the newcomers' guide, the Occitan section) is shown by every site's
  footer and menus: Pays-wide. A site's home page or its translations: the structure
  (Wagtail's site root paths list them).
- A draft saved, a page locked or unlocked: nothing a visitor sees changed, no bump.
- Sites and languages: the structure. Images and documents: the site of the collectivité
  whose collection holds them (and the portal), else Pays-wide.
- The apps' own models: Pays-wide, unless `bump_on_change(..., sites=...)` says whose.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from serving.cache import PAYS, bump_content_version, bump_sites, bump_structure, cached

# Saving these page fields only records a draft, a lock or the tree's bookkeeping.
DRAFT_FIELDS = frozenset(
    {
        "comments",
        "wagtail_admin_comments",
        "latest_revision_created_at",
        "draft_title",
        "latest_revision",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
        "live_revision",
    }
)


def _root_paths():
    from serving.pages import site_root_paths

    return site_root_paths()


def _portal_id():
    from serving.pages import default_site

    portal = default_site()
    return portal.pk if portal is not None else None


def sites_of_url_path(url_path):
    """The ids of the sites a page at this url_path belongs to: those whose root is the
    deepest above it (commune home pages sit below the portal's, in its tree)."""
    matches = [srp for srp in _root_paths() if url_path.startswith(srp.root_path)]
    if not matches:
        return set()
    deepest = max(len(srp.root_path) for srp in matches)
    return {srp.site_id for srp in matches if len(srp.root_path) == deepest}


def is_site_root(url_path):
    """A site's home page, or one of its translations."""
    return any(srp.root_path == url_path for srp in _root_paths())


def bump_for_pages(*url_paths, depth=None):
    """Bump what pages at these url_paths are shown on (see the module's docstring)."""
    if (depth is not None and depth <= 1) or any(is_site_root(path) for path in url_paths):
        bump_structure()
        return
    sites = set()
    for url_path in url_paths:
        if url_path:
            sites |= sites_of_url_path(url_path)
    portal = _portal_id()
    if not sites or portal in sites:
        bump_content_version()
        return
    if portal is not None:
        sites.add(portal)
    bump_sites(sites)


def _page_changed(instance, **_kwargs):
    if _roots_a_site(instance):
        bump_structure()
        return
    bump_for_pages(instance.url_path, depth=instance.depth)


def _roots_a_site(page):
    """A site's home page or one of its translations, a new one included: the root paths do
    not list it yet, and will once the structure's version moves (one query per save)."""
    if is_site_root(page.url_path):
        return True
    key = getattr(page, "translation_key", None)
    return key is not None and Site.objects.filter(root_page__translation_key=key).exists()


def _page_saved(instance, created=False, update_fields=None, **_kwargs):
    if update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
        return
    if created and not instance.live:
        return
    _page_changed(instance)


def _page_moved(instance, url_path_before="", url_path_after="", **_kwargs):
    bump_for_pages(url_path_before, url_path_after, depth=instance.depth)


# Which site a collection's images and documents belong to is the domain's knowledge (each
# collectivité has its collection): the app that owns it registers a function returning
# {collection id: site id}. Until one is registered, a media change is Pays-wide.
_collection_sites = None


def register_collection_sites(build):
    """`build()` returns {collection id: site id}; cached under the Pays-wide version."""
    global _collection_sites
    _collection_sites = build


def collection_sites():
    """Collection id -> site id of the collectivité it belongs to."""
    if _collection_sites is None:
        return {}
    return cached("collection-sites", [], _collection_sites, scope=PAYS)


def _media_changed(instance, **_kwargs):
    site_id = collection_sites().get(instance.collection_id)
    portal = _portal_id()
    if site_id is None or site_id == portal:
        bump_content_version()
    else:
        bump_sites({site_id, portal} - {None})


def _restriction_changed(instance, **_kwargs):
    page = Page.objects.filter(pk=instance.page_id).only("url_path", "depth").first()
    if page is None:
        bump_content_version()
    else:
        bump_for_pages(page.url_path, depth=page.depth)


def _on_model_change(sender, instance, created=False, update_fields=None, **kwargs):
    if isinstance(instance, Page):
        _page_saved(instance, created=created, update_fields=update_fields)
    elif isinstance(instance, Site | Locale):
        bump_structure()
    elif isinstance(instance, AbstractImage | AbstractDocument):
        _media_changed(instance)
    elif isinstance(instance, PageViewRestriction):
        _restriction_changed(instance)


def _on_model_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _page_changed(instance)
    else:
        _on_model_change(sender, instance)


def _bump(**_kwargs):
    bump_content_version()


def site_of_instance(instance):
    """For models with a `site` (site settings, a banner): that site, None for all."""
    return [instance.site_id] if getattr(instance, "site_id", None) else None


def bump_on_change(*models, sites=None):
    """Bump the content versions whenever a row of one of `models` is saved or deleted.

    For the apps' own models that pages show around their content (a site's appearance, its
    banners, the registry, the directory): each app names them in its ready(). `sites`, a
    function of an instance, returns the ids of the sites that show it, or None when every
    site does (Pays-wide, the default). It is asked of the row as it was and as it is.
    """
    for model in models:
        label = model._meta.label
        if sites is None:
            post_save.connect(_bump, sender=model, dispatch_uid=f"bastide-cv-save-{label}")
            post_delete.connect(_bump, sender=model, dispatch_uid=f"bastide-cv-delete-{label}")
            continue
        handlers = _scoped_handlers(model, sites)
        pre_save.connect(
            handlers[0], sender=model, weak=False, dispatch_uid=f"bastide-cv-pre-{label}"
        )
        post_save.connect(
            handlers[1], sender=model, weak=False, dispatch_uid=f"bastide-cv-save-{label}"
        )
        post_delete.connect(
            handlers[1], sender=model, weak=False, dispatch_uid=f"bastide-cv-delete-{label}"
        )


def _scoped_handlers(model, sites):
    def before(instance, **_kwargs):
        previous = model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
        instance._bastide_sites_before = sites(previous) if previous is not None else []

    def after(instance, **_kwargs):
        now = sites(instance)
        before = getattr(instance, "_bastide_sites_before", [])
        if now is None or before is None:
            bump_content_version()
        else:
            bump_sites({*now, *before})

    return before, after


def connect():
    page_published.connect(_page_changed, dispatch_uid="bastide-cv-published")
    page_unpublished.connect(_page_changed, dispatch_uid="bastide-cv-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="bastide-cv-moved")
    post_save.connect(_on_model_change, dispatch_uid="bastide-cv-save")
    post_delete.connect(_on_model_delete, dispatch_uid="bastide-cv-delete")
    m2m_changed.connect(
        _restriction_changed_m2m,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="bastide-cv-restriction-groups",
    )


def _restriction_changed_m2m(instance, **_kwargs):
    if isinstance(instance, PageViewRestriction):
        _restriction_changed(instance)
    else:
        bump_content_version()
