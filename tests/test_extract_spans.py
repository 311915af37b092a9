"""Quote spans and the same-length normalisation, without spaCy."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotes.extract.normalize import normalize
from quotes.extract.segment import sentences
from quotes.extract.spans import find_spans, is_not_a_quote


def contents(text):
    return [text[s.start:s.end] for s in find_spans(text)]


@pytest.mark.parametrize("text, expected", [
    ("«Bonjour», dit-il.", ["Bonjour"]),
    ("« Bonjour », dit-il.", ["Bonjour"]),
    ("«\u00a0Bonjour\u00a0», dit-il.", ["Bonjour"]),
    ("«\u202fBonjour\u202f», dit-il.", ["Bonjour"]),
    ("«Il a dit “non” puis ‹peut-être› et \"jamais\"», raconte-t-elle.",
     ["Il a dit “non” puis ‹peut-être› et \"jamais\""]),
    ("«Elle a crié «au secours» deux fois», dit-il.", ["Elle a crié «au secours» deux fois"]),
    ("Deux «mots» et «trois mots» ici.", ["mots", "trois mots"]),
])
def test_guillemet_spans(text, expected):
    assert contents(text) == expected


def test_quote_over_several_paragraphs():
    text = "«Premier paragraphe.\n\n«Deuxième paragraphe.\n\n» Troisième», a-t-il conclu."
    [span] = find_spans(text)
    assert text[span.start:span.end] == "Premier paragraphe.\n\n«Deuxième paragraphe.\n\n» Troisième"
    assert span.paragraphs == 3 and span.balanced


def test_unbalanced_guillemet_closes_at_paragraph_end():
    text = "Il a dit «nous verrons bien\n\nUn autre paragraphe «complet»."
    first, second = find_spans(text)
    assert text[first.start:first.end] == "nous verrons bien" and not first.balanced
    assert text[second.start:second.end] == "complet" and second.balanced


def test_stray_closing_mark_is_ignored():
    assert contents("Un » seul et «un vrai».") == ["un vrai"]


@pytest.mark.parametrize("text, expected", [
    ('Il a dit "nous partons demain", a-t-il ajouté.', ["nous partons demain"]),
    ("Il a dit “nous partons demain”, a-t-il ajouté.", ["nous partons demain"]),
])
def test_straight_and_curly_quotes_as_main_marks(text, expected):
    assert contents(text) == expected


def test_curly_quotes_inside_guillemet_text_are_not_main_marks():
    assert contents("«Oui», dit-il. Le “Titre” du livre.") == ["Oui"]


@pytest.mark.parametrize("text, not_quote", [
    ("Le livre «Les Misérables» est sorti.", True),
    ("Il est surnommé «le Chacal» depuis.", True),
    ("Le quotidien «Libération» titre sur la grève.", True),
    ("L'opération «Serval» a débuté.", True),
    ("«Le Monde» a révélé l'affaire.", True),
    ("Il dénonce un plan «irréaliste».", False),
    ("«Jamais», a-t-il répondu.", False),
    ("«Nous partirons», a-t-il dit.", False),
])
def test_titles_nicknames_and_names(text, not_quote):
    [span] = find_spans(text)
    assert is_not_a_quote(text, span) is not_quote


def test_normalized_drops_invisible_characters_and_composes_accents_with_a_way_back():
    import unicodedata

    from quotes.extract.normalize import normalized

    text = unicodedata.normalize("NFD", "Ma\u00adcron a été élu")
    copy = normalized(text)
    assert copy.text == "Macron a été élu"
    start = copy.text.index("été")
    assert text[copy.original(start):copy.original(start + 3)] == unicodedata.normalize("NFD", "été")
    assert copy.original(len(copy.text)) == len(text)
    assert normalized("Rien à signaler").back is None  # the common case keeps its length, no table


def test_normalize_keeps_length_and_offsets():
    text = "L’OTAN\u00a0: «\u202fc’est\u200f fini\u202f»\x00\r\n\u2028ok\ud800"
    norm = normalize(text)
    assert len(norm) == len(text)
    assert norm.startswith("L'OTAN : « c'est  fini »")
    assert "\x00" not in norm and "\ud800" not in norm and "\u2028" not in norm


@given(st.text(alphabet=st.characters(codec=None, max_codepoint=0x3100), max_size=40))
def test_normalize_changes_only_the_characters_it_plains_and_one_for_one(text):
    norm = normalize(text)
    assert len(norm) == len(text)
    for original, plain in zip(text, norm):
        if original != plain:
            assert plain in " '-\n"
        elif original in "\u2019\u00a0\u202f\u200b\x00\r\t\u2011\u2028\x85":
            pytest.fail(f"{original!r} kept")
    assert normalize(norm) == norm


def test_sentences_do_not_end_inside_quotes():
    text = "«Nous partons. Tout est fini», a dit M. Dupont. Puis il est sorti."
    norm = normalize(text)
    spans = find_spans(norm)
    got = [norm[s.start:s.end] for s in sentences(norm, spans)]
    assert got == ["«Nous partons. Tout est fini», a dit M. Dupont.", "Puis il est sorti."]


def test_a_sentence_ends_after_a_quote_that_closes_on_its_full_stop():
    # «… une excuse. » Le ministre …: the quote and its sentence end together, the next one starts
    text = "Elle a rappelé que « rien n'excuse cela. » Le ministre a apporté son « soutien entier. » Puis il est parti."
    norm = normalize(text)
    got = [norm[s.start:s.end] for s in sentences(norm, find_spans(norm))]
    assert got == ["Elle a rappelé que « rien n'excuse cela. »", "Le ministre a apporté son « soutien entier. »",
                   "Puis il est parti."]
