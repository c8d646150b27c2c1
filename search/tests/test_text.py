"""French words as the index and the queries read them."""

from django.core.files.base import ContentFile

from communes.models import SiteDocument
from search.documents import extract_text
from search.text import Query, fold, highlight, stems


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


def test_unreadable_documents_give_no_text_and_no_error(db):
    for name, data in [
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog"),
        ("empty.pdf", b""),
        ("notes.txt", "Compte rendu : élagage des platanes".encode()),
    ]:
        document = SiteDocument(title=name)
        document.file.save(name, ContentFile(data), save=False)
        text = extract_text(document)
        assert text == ("Compte rendu : élagage des platanes" if name == "notes.txt" else "")
