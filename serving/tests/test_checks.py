"""No page type can miss cached serving: the system check refuses it at startup."""

import pytest
from django.core import checks
from django.test.utils import isolate_apps
from wagtail.models import PAGE_MODEL_CLASSES, Page, get_page_models

from serving.checks import check_cached_serving
from serving.pages import CachedPage


@pytest.fixture
def page_types():
    """Page types defined by a test, taken out of Wagtail's list afterwards."""
    before = list(PAGE_MODEL_CLASSES)
    with isolate_apps("communes"):
        yield
    PAGE_MODEL_CLASSES[:] = before


def test_a_page_type_that_forgets_cached_serving_fails_the_checks(page_types):
    class ForgetfulPage(Page):
        class Meta:
            app_label = "communes"

    class MindfulPage(CachedPage):
        class Meta:
            app_label = "communes"

    errors = check_cached_serving(models=[ForgetfulPage, MindfulPage])
    assert [(e.id, e.obj, e.level) for e in errors] == [
        ("serving.E001", ForgetfulPage, checks.ERROR)
    ]
    # Wagtail's own page types are not ours to change.
    assert check_cached_serving(models=[Page]) == []


def test_every_page_type_of_the_project_is_served_from_memory():
    ours = [m for m in get_page_models() if m._meta.app_label not in {"wagtailcore"}]
    assert len(ours) >= 21
    assert check_cached_serving() == []
    assert check_cached_serving in checks.registry.registry.get_checks()
