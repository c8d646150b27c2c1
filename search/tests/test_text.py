"""French words as the index and the queries read them."""

import random

from parsing.text import fold
from search.text import Query, first_match, highlight, matcher, stems


def test_folding_and_stemming_make_one_word_of_its_forms():
    assert fold("Délibération ŒUVRE") == "deliberation oeuvre"
    assert stems("Les horaires d’ouverture") == stems("horaire ouvertures")
    assert stems("délibérations") == stems("deliberation")


def test_queries_drop_stop_words_and_are_capped():
    query = Query("Les horaires de la mairie")
    assert query.words == ["horaires", "mairie"]
    assert Query("le la de").stems == []
    assert len(Query("a" * 500).raw) == 200
    assert len(Query(" ".join(f"mot{n}" for n in range(50))).words) == 10
    assert Query("x" * 41).words == []


def test_highlight_marks_the_words_and_escapes_the_text():
    text = "<script>x</script> Le conseil a adopté les délibérations sur la Cantine."
    html = highlight(text, Query("deliberation cantine"))
    assert "<mark>délibérations</mark>" in html and "<mark>Cantine</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    long = "mot " * 500 + "cantine " + "mot " * 500
    window = highlight(long, Query("cantine"))
    assert window.startswith("…") and window.endswith("…") and "<mark>cantine</mark>" in window
    assert highlight("rien ici", Query("cantine")) == "rien ici"


def test_the_first_word_of_a_long_text_is_found_where_the_expression_finds_it():
    """Over a long text the first match is looked for in folded bytes (fast), then
    confirmed by the expression: the same place as the expression alone, whatever the
    accents, the case, the words around and the letters past Latin-1 it takes for others."""
    written = (
        "Délibération DÉLIBÉRER cantine Cantines scolaire école ÉCOLE mairie primaire "
        "Horaires d'horaires œuvre façade GARÇON naïve Noël ÉLÈVES xcantine _ecole "
        "2cantine cantine2 — « » ’ ﬁnances ŸVES \u212aermesse ſubvention İnstitut ınstitut "
        "\u212bge Ågé"
    )
    vocabulary = written.split() + ["x"] * 20
    queries = ["cantine", "ecole", "horaires mairie", "deliberation", "oeuvre", "facade"]
    queries += ["garcon", "naif", "eleve", "finances", "cantine2", "yves", "kermesse"]
    queries += ["subvention", "institut", "age"]
    rng = random.Random(6)
    found = 0
    for _ in range(400):
        separator = rng.choice([" ", " ", " ", "-", "’", ""])
        text = separator.join(rng.choice(vocabulary) for _ in range(rng.randint(300, 900)))
        query = Query(rng.choice(queries))
        pattern = matcher(query)
        expected = pattern.search(text)
        got = first_match(text, query, pattern)
        assert (got and got.span()) == (expected and expected.span()), (query.raw, expected)
        found += expected is not None
    assert found > 300
    deep = "Ligne du registre. " * 3000 + "Arrêté sur la CANTINE de l'école."
    assert "<mark>CANTINE</mark>" in highlight(deep, Query("cantines"))


def test_a_ligature_and_its_two_letters_are_one_word():
    assert Query("cœur").words == Query("coeur").words == ["coeur"]
    assert stems("Les cœurs de l’Œuvre") == stems("coeurs oeuvre")
    assert stems("Lætitia") == stems("laetitia")
