"""A page type that forgets cached serving would still work, only slower and with its
privacy checks asked of the database on every view: refuse it at startup instead."""

from pathlib import Path

from django.conf import settings
from django.core import checks

from serving.pages import CachedServingMixin


def _ours(model):
    """A model of this project's own apps (an app folder at the top of the project)."""
    app_config = model._meta.app_config
    if app_config is None:
        return False
    return Path(app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()


def check_cached_serving(app_configs=None, models=None, **kwargs):
    """serving.E001 for each concrete page type of ours not built on serving.pages.CachedPage."""
    if models is None:
        from wagtail.models import get_page_models

        models = get_page_models()
    errors = []
    for model in models:
        if model._meta.abstract or not _ours(model):
            continue
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        if not issubclass(model, CachedServingMixin):
            errors.append(
                checks.Error(
                    f"{model._meta.label} is not served from memory.",
                    hint="Build the page type on serving.pages.CachedPage.",
                    obj=model,
                    id="serving.E001",
                )
            )
    return errors
