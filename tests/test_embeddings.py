"""Remembered token embeddings: the vectors, tags and parses of stock spaCy, bit for bit."""
import threading

import numpy as np
import pytest
import spacy

from quotes import embeddings
from quotes.embeddings import remember_embeddings

TEXTS = [
    "«Nous ne céderons pas», a déclaré mardi Jens Stoltenberg, secrétaire général de l’OTAN.",
    "Le porte-parole du Kremlin, Dmitri Peskov, a affirmé que Moscou «n’avait pas l’intention d’attaquer».",
    "Selon lui, «le temps presse» 🙂 — anticonstitutionnellement,  vraiment\u00a0!",
    "",
    "   ",
    "M. Dupont a-t-il dit « oui » ? Mme Durand, elle, répond : «non». Le Président l’a dit.",
]


@pytest.fixture(scope="module")
def stock():
    return spacy.load("fr_core_news_sm")


def _remembering():
    nlp = spacy.load("fr_core_news_sm")
    assert remember_embeddings(nlp)
    return nlp


def _embed(nlp, texts):
    return nlp.get_pipe("tok2vec").model.get_ref("embed").predict([nlp.make_doc(t) for t in texts])


def _analyses(nlp, texts):
    return [[(t.text, t.pos_, str(t.morph), t.dep_, t.head.i) for t in doc] for doc in nlp.pipe(texts)]


def test_remembered_vectors_are_the_computed_ones_bit_for_bit(stock):
    nlp = _remembering()
    expected = _embed(stock, TEXTS)
    for _ in range(2):  # first computed, then read back from the table
        got = _embed(nlp, TEXTS)
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            assert a.dtype == b.dtype and np.array_equal(a, b)


def test_tags_and_parses_do_not_change(stock):
    nlp = _remembering()
    expected = _analyses(stock, TEXTS)
    assert _analyses(nlp, TEXTS) == expected
    assert _analyses(nlp, list(reversed(TEXTS))) == list(reversed(expected))


def test_a_full_table_still_gives_the_computed_vectors(stock, monkeypatch):
    monkeypatch.setattr(embeddings, "MAX_ROWS", 20)
    nlp = _remembering()
    expected = _embed(stock, TEXTS)
    for _ in range(2):
        for a, b in zip(_embed(nlp, TEXTS), expected):
            assert np.array_equal(a, b)


def test_threads_sharing_the_pipeline_get_the_same_vectors(stock):
    nlp = _remembering()
    texts = [f"{t} Article {n}, paragraphe {n * 7}." for n in range(12) for t in TEXTS[:3]]
    expected = _embed(stock, texts)
    results, errors = {}, []

    def work(k):
        try:
            results[k] = _embed(nlp, texts[k::4])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in range(4):
        for a, b in zip(results[k], expected[k::4]):
            assert np.array_equal(a, b)


def test_pipelines_of_another_shape_are_left_alone():
    assert not remember_embeddings(spacy.blank("fr"))  # no tok2vec at all
    md = spacy.load("fr_core_news_md")  # static vectors join the embedding: not handled
    before = md.get_pipe("tok2vec").model.get_ref("embed")
    assert not remember_embeddings(md)
    assert md.get_pipe("tok2vec").model.get_ref("embed") is before


def test_load_nlp_remembers_embeddings():
    from quotes.nlp import load_nlp

    assert load_nlp("fr_core_news_sm").get_pipe("tok2vec").model.get_ref("embed").name == "remembered_embed"
