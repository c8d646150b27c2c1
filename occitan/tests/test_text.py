from occitan.text import bare, key, normalise


def test_normalise_folds_case_accents_and_apostrophes():
    assert normalise("  L’Ostal  de la Comuna ") == "l'ostal de la comuna"
    assert normalise("Fenêtre") == "fenetre"


def test_bare_drops_one_leading_article():
    assert bare("l'ostal") == "ostal"
    assert bare("Lo pan") == "pan"
    assert bare("la pòrta") == "porta"
    assert bare("bonjorn") == "bonjorn"


def test_key_holds_every_form_once_between_newlines():
    k = key("l'ostal", "l'ostau")
    assert k == "\nl'ostal\nostal\nl'ostau\nostau\n"
    assert "\nostal" in k and "\nostau" in k
    assert key() == ""
