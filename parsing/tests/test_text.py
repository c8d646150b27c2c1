"""One folding for the whole project: what a visitor types finds what is written."""

from parsing.text import fold, name_key, words


def test_oe_and_ae_ligatures_fold_to_their_two_letters():
    assert fold("Cœur ŒUVRE") == "coeur oeuvre"
    assert fold("Lætitia, Æ") == "laetitia, ae"
    assert words("Le cœur de l’œuvre") == ["le", "coeur", "de", "l", "oeuvre"]


def test_accents_and_case_fold_and_punctuation_stays():
    assert fold("Délibération n° 12-B") == "deliberation n° 12-b"


def test_names_compare_as_folded_words():
    assert name_key("Saint-Aubin-de-Lanquais") == "saint aubin de lanquais"
    assert name_key("  saint aubin  DE lanquais ") == name_key("Saint-Aubin-de-Lanquais")
    # The directory used to drop « œ » (« cur »): typed « coeur », it found nothing.
    assert name_key("Sœur-Cœur") == name_key("soeur coeur") == "soeur coeur"
    assert name_key("Lætitia") == "laetitia"
