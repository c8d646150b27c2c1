"""The Occitan lexicon in the Pays-wide search: live entries and expressions are found by
their French and by any of their Occitan forms, under the « Occitan » facet; a row under
review or unpublished is not."""

import pytest

from occitan.models import Entry, Expression
from search import indexing, services
from search.models import SearchEntry

pytestmark = pytest.mark.usefixtures("search_engine")

OCCITAN = SearchEntry.Kind.OCCITAN


@pytest.fixture
def lexicon(pays, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ostal = Entry.objects.create(
            slug="maison",
            french="maison",
            occitan="l'ostal",
            variant_gascon="l'ostau",
            example_oc="Tornam a l'ostal.",
            live=True,
        )
        hidden = Entry.objects.create(slug="pain", french="pain", occitan="lo pan", live=False)
        phrase = Expression.objects.create(
            slug="bonjorn",
            occitan="Bonjorn a totes !",
            literal="Bonjour à tous !",
            meaning="Une salutation pour un groupe.",
            live=True,
        )
    return {"ostal": ostal, "hidden": hidden, "phrase": phrase}


def occitan_results(query, **kwargs):
    results = services.search(query, portal=True, **kwargs)
    return [r for r in results.results if r.kind == OCCITAN]


@pytest.mark.parametrize("typed", ["maison", "ostal", "ostau", "Ostal"])
def test_an_entry_is_found_by_its_french_and_its_occitan_forms(lexicon, pays, typed):
    found = occitan_results(typed, kinds=(OCCITAN,))
    assert [r.title for r in found] == ["maison — l'ostal"]
    assert found[0].url == pays.site.root_url + "/occitan/mot/maison/"
    assert found[0].kind_label == "Occitan"


def test_an_expression_is_found_both_ways(lexicon, pays):
    for typed in ("bonjorn", "salutation"):
        found = occitan_results(typed)
        assert [r.title for r in found] == ["Bonjorn a totes !"], typed
        assert found[0].url.endswith("/occitan/expressions/bonjorn/")


def test_the_occitan_facet_counts_and_filters(lexicon):
    results = services.search("maison", portal=True)
    facets = {f.value: f for f in results.kinds}
    assert facets[OCCITAN].label == "Occitan" and facets[OCCITAN].count == 1
    only = services.search("maison", portal=True, kinds=(OCCITAN,))
    assert only.results and {r.kind for r in only.results} == {OCCITAN}
    assert not occitan_results("maison", kinds=(SearchEntry.Kind.NEWS,))


def test_a_row_under_review_is_not_found_until_published(
    lexicon, django_capture_on_commit_callbacks
):
    assert not occitan_results("pain")
    hidden = lexicon["hidden"]
    with django_capture_on_commit_callbacks(execute=True):
        hidden.live = True
        hidden.save()
    assert [r.title for r in occitan_results("pain")] == ["pain — lo pan"]


def test_unpublished_or_deleted_rows_leave_the_index(lexicon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lexicon["ostal"].unpublish()
    assert not occitan_results("ostal")
    with django_capture_on_commit_callbacks(execute=True):
        lexicon["phrase"].delete()
    assert not occitan_results("bonjorn")
    assert not SearchEntry.objects.filter(kind=OCCITAN).exists()


def test_the_full_rebuild_includes_the_lexicon(lexicon):
    counts = indexing.reindex()
    assert counts["occitan"] == 2
    assert {e.path for e in SearchEntry.objects.filter(kind=OCCITAN)} == {
        "/occitan/mot/maison/",
        "/occitan/expressions/bonjorn/",
    }
    assert occitan_results("ostau")
