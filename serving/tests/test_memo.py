"""{% memo %}: markup kept per content version, key and language, never for a preview."""

import types

from django.template import Context, Template
from django.utils import translation

FRAGMENT = Template(
    "{% load i18n serving_tags %}{% memo 'test-fragment' key %}"
    "{% get_current_language as lang %}{{ lang }}:{{ value }}{% endmemo %}"
)


def render(request=None, **values):
    return FRAGMENT.render(Context({"key": "k", "request": request, **values}))


def test_a_fragment_is_rendered_once_per_key():
    assert render(value="first") == "fr:first"
    assert render(value="second") == "fr:first"


def test_each_language_gets_its_own_rendering():
    with translation.override("fr"):
        assert render(value="x") == "fr:x"
    with translation.override("en"):
        assert render(value="x") == "en:x"


def test_a_preview_is_never_memoised():
    preview = types.SimpleNamespace(is_preview=True)
    assert render(preview, value="draft 1") == "fr:draft 1"
    assert render(preview, value="draft 2") == "fr:draft 2"
    assert render(value="published") == "fr:published"


UNLESS = Template(
    "{% load serving_tags %}{% memo 'test-unless' key unless mine %}{{ value }}{% endmemo %}"
)


def test_a_rendering_of_the_visitors_own_is_neither_kept_nor_served_from_the_memo():
    def render_unless(**values):
        return UNLESS.render(Context({"key": "k", "request": None, **values}))

    assert render_unless(value="the blank form", mine=False) == "the blank form"
    assert render_unless(value="what they typed", mine=True) == "what they typed"
    assert render_unless(value="another blank form", mine=False) == "the blank form"
