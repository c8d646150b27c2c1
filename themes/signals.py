from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from themes.cache import bump_content_version


def _on_model_change(sender, instance, **kwargs):
    if isinstance(instance, Page | Site) or sender.__name__ == "ThemeSettings":
        bump_content_version()


def connect():
    page_published.connect(bump_content_version, dispatch_uid="bastide-cv-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="bastide-cv-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="bastide-cv-moved")
    post_save.connect(_on_model_change, dispatch_uid="bastide-cv-save")
    post_delete.connect(_on_model_change, dispatch_uid="bastide-cv-delete")
