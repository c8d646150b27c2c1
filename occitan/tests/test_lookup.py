import pytest

from occitan.models import Entry, Expression, Term
from occitan.services import terms
from occitan.services.lookup import Direction, find

pytestmark = pytest.mark.django_db


@pytest.fixture
def lexicon():
    ostal = Entry.objects.create(
        slug="maison", french="maison", occitan="l'ostal", variant_gascon="l'ostau", live=True
    )
    porta = Entry.objects.create(
        slug="porte", french="porte", occitan="la pòrta", variant_gascon="la pòrta", live=True
    )
    ostalet = Entry.objects.create(
        slug="maisonnette", french="maisonnette", occitan="l'ostalon", live=True
    )
    hidden = Entry.objects.create(slug="pain", french="pain", occitan="lo pan", live=False)
    phrase = Expression.objects.create(
        slug="bienvenue",
        occitan="Benvenguda a l'ostal !",
        literal="Bienvenue à la maison !",
        live=True,
    )
    return ostal, porta, ostalet, hidden, phrase


def test_french_finds_occitan_and_occitan_finds_french(lexicon):
    ostal, _porta, ostalet, _hidden, phrase = lexicon
    assert find("maison", Direction.FRENCH).entries == [ostal, ostalet]
    assert find("ostal", Direction.OCCITAN).entries == [ostal, ostalet]
    assert find("OSTAU").entries == [ostal]  # the gascon form, any case
    assert find("Maison").expressions == [phrase]


def test_accents_articles_and_apostrophes_do_not_matter(lexicon):
    ostal, porta, *_ = lexicon
    assert find("porta").entries == [porta]
    assert find("la Pòrta").entries == [porta]
    assert find("l’ostal").entries[0] == ostal


def test_only_reviewed_rows_are_public_and_short_queries_find_nothing(lexicon):
    *_, hidden, _phrase = lexicon
    assert not find("pan")
    assert find("pan", public=False).entries == [hidden]
    assert not find("o")
    assert find("maison", direction="nonsense").direction == Direction.BOTH


def test_a_word_inside_a_form_and_after_an_elision_is_found_after_whole_forms(lexicon):
    ostal, *_ = lexicon
    bòria = Entry.objects.create(
        slug="ferme", french="ferme", occitan="la bòria de l'ostal", live=True
    )
    found = find("ostal").entries
    assert found[0] == ostal and bòria in found  # « ostal » after « de l' »
    assert find("boria de l").entries == [bòria]
    assert not find("de")  # two letters: forms starting with them, not words inside


def test_a_saved_change_is_searched_at_once_and_deleted_rows_are_gone(lexicon):
    ostal, *_ = lexicon
    ostal.french = "demeure"
    ostal.save()
    assert find("demeure").entries == [ostal]
    assert ostal not in find("maison").entries
    ostal.live = False
    ostal.save()
    assert not find("demeure")
    assert find("demeure", public=False).entries == [ostal]
    ostal.delete()
    assert not find("demeure", public=False)
    assert not Term.objects.filter(term="demeure").exists()


def test_the_terms_rebuilt_match_those_written_on_save(lexicon):
    before = sorted(Term.objects.values_list("term", "side", "start", "live", "entry_id"))
    terms.rebuild()
    assert sorted(Term.objects.values_list("term", "side", "start", "live", "entry_id")) == before
