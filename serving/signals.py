"""What keeps the content version in step with the content: any change to what pages are
served from bumps it (serving.cache)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from serving.cache import bump_content_version


def _on_model_change(sender, instance, **kwargs):
    # What pages are served from (serving.pages): the tree, the sites, the private
    # sections, the languages, the images and documents pages show.
    if isinstance(
        instance, Page | Site | PageViewRestriction | Locale | AbstractImage | AbstractDocument
    ):
        bump_content_version()


def _bump(**_kwargs):
    bump_content_version()


def bump_on_change(*models):
    """Bump the content version whenever a row of one of `models` is saved or deleted.

    For the apps' own models that every page shows around its content (a site's appearance,
    its banners, the registry, the directory): each app names them in its ready().
    """
    for model in models:
        label = model._meta.label
        post_save.connect(_bump, sender=model, dispatch_uid=f"bastide-cv-save-{label}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bastide-cv-delete-{label}")


def connect():
    page_published.connect(bump_content_version, dispatch_uid="bastide-cv-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="bastide-cv-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="bastide-cv-moved")
    post_save.connect(_on_model_change, dispatch_uid="bastide-cv-save")
    post_delete.connect(_on_model_change, dispatch_uid="bastide-cv-delete")
    m2m_changed.connect(
        bump_content_version,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="bastide-cv-restriction-groups",
    )
