"""Directory changes show at once on the pages that list entries (themes.cache)."""

from django.db.models.signals import post_delete, post_save

from themes.cache import bump_content_version


def _bump(**_kwargs):
    bump_content_version()


def connect():
    from directory.models import Category, Fiche, HoursException, OpeningHours, ServiceEntry

    for model in (ServiceEntry, Category, Fiche, OpeningHours, HoursException):
        name = model.__name__
        post_save.connect(_bump, sender=model, dispatch_uid=f"bastide-directory-save-{name}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bastide-directory-del-{name}")
