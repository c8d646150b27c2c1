from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from themes.cache import bump_content_version


def _on_model_change(sender, instance, **kwargs):
    # What pages are served from (themes.serving): the tree, the sites, the private
    # sections, the languages, the images and documents pages show, the sites' appearance.
    if isinstance(
        instance, Page | Site | PageViewRestriction | Locale | AbstractImage | AbstractDocument
    ) or (sender.__name__ == "ThemeSettings"):
        bump_content_version()


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
