"""The fast path: every window is tagged, only those whose attribution needs it are parsed.

Leaving the parser out must never change a result: a window parsed late, on
demand, gives what a window parsed up front gives.
"""
import pytest

from quotes.extract import pipeline
from quotes.extract.attribution import Window
from quotes.nlp import load_nlp

TEXTS = [
    "«Nous ne céderons pas», a déclaré mardi Jens Stoltenberg, secrétaire général de l’OTAN. "
    "«C’est une ligne rouge», a-t-il ajouté.",
    "Le porte-parole du Kremlin, Dmitri Peskov, a affirmé que Moscou «n’avait pas l’intention d’attaquer». "
    "Il a ensuite dénoncé des «provocations».",
    "Josep Borrell a déclaré : «L’Europe doit parler d’une seule voix.» Selon lui, «le temps presse».",
    "Selon la ministre, les négociations reprendront la semaine prochaine. "
    "La présidente de la Commission a évoqué des «sanctions coordonnées», accusant Moscou de «chantage».",
    "«Je ne suis pas candidat», dit-elle. «Pas cette fois-ci», estime Marie Dupont, "
    "qui accuse le gouvernement d’avoir «trahi» ses promesses.",
    "Sandrine Rousseau : «Il faut agir maintenant.»\n\nLe texte, a annoncé le ministre de l’Intérieur, "
    "sera présenté en conseil des ministres.",
    "Aucune citation ici, seulement un titre de livre, «Les Misérables», et un surnom, «le Tigre».",
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _records(nlp, texts):
    return [[q.to_dict() for q in quotes] for quotes in pipeline.run(texts, nlp)]


def _with_needs(monkeypatch, value):
    real = pipeline.make_plan

    def plan(text):
        made = real(text)
        made.needs_parse = [value] * len(made.ranges)
        return made

    monkeypatch.setattr(pipeline, "make_plan", plan)


def test_parsing_only_some_windows_changes_no_record(nlp, monkeypatch):
    planned = _records(nlp, TEXTS)
    assert sum(len(r) for r in planned) >= 12
    _with_needs(monkeypatch, True)
    assert _records(nlp, TEXTS) == planned  # every window parsed up front
    _with_needs(monkeypatch, False)
    assert _records(nlp, TEXTS) == planned  # every window parsed only when asked


def test_a_quote_followed_by_its_incise_is_not_parsed_up_front():
    text = "«Nous ne céderons pas devant la pression, ni aujourd’hui ni demain», a déclaré Jens Stoltenberg."
    plan = pipeline.make_plan(text)
    assert plan.ranges and not any(plan.needs_parse)


def test_a_cue_verb_before_a_quote_is_parsed_up_front():
    text = "Au terme de la réunion, Jens Stoltenberg a déclaré : «Nous ne céderons pas devant la pression.»"
    plan = pipeline.make_plan(text)
    assert any(plan.needs_parse)


def test_a_quote_with_no_verb_before_it_is_not_parsed_up_front():
    text = "Dans la rue, des pancartes et des «slogans hostiles au gouvernement» se multipliaient."
    plan = pipeline.make_plan(text)
    assert plan.ranges and not any(plan.needs_parse)


@pytest.mark.parametrize("text", [
    "Interrogé sur le sujet, le ministre a-t-il déclaré : «L’Europe doit parler d’une seule voix.»",
    "«Nous verrons», dit-il encore à ses proches, avant d’évoquer des «mesures fortes» pour l’hiver prochain.",
    "Le ministre a parlé longuement et, selon lui, la réforme reste «une priorité absolue du gouvernement».",
])
def test_a_subject_the_parse_would_not_give_is_not_parsed_up_front(text):
    # an inverted pronoun is the subject as it stands; a "selon X" nearer the quote is read first
    plan = pipeline.make_plan(text)
    assert plan.ranges and not any(plan.needs_parse)


@pytest.mark.parametrize("text, parse", [
    ("Le porte-parole du gouvernement a estimé hier soir qu’il fallait attendre.", True),
    ("La présidente de la Commission a regretté hier soir qu’il faille attendre.", False),  # factive: no report
    ("Le directeur a expliqué dans quel état d’esprit il se trouvait.", False),  # "d'" after a non-accusing verb
    ("L’opposition accuse le gouvernement d’avoir menti aux électeurs.", True),
])
def test_reporting_clauses_are_parsed_up_front_when_attribution_wants_a_subject(text, parse):
    plan = pipeline.make_plan(text)
    assert plan.ranges and any(plan.needs_parse) is parse


def test_a_window_is_parsed_once_on_first_need(nlp):
    with nlp.select_pipes(disable=["parser", "lemmatizer", "ner"]):
        doc = nlp("Le ministre a déclaré que la réforme serait retirée.")
    calls = []

    def parse(d):
        calls.append(d)
        nlp.get_pipe("parser")(d)

    window = Window(0, doc, parse)
    assert not doc.has_annotation("DEP")
    assert window.parsed() is doc and window.parsed() is doc
    assert calls == [doc] and doc.has_annotation("DEP")
    subjects = [t.text for t in doc if t.dep_ == "nsubj"]
    assert "ministre" in subjects


def test_threads_sharing_the_pipeline_get_what_one_thread_gets(nlp):
    # A server extracts in several threads with one pipeline: nothing may switch its
    # components for the others (select_pipes did, and speakers changed under load).
    from concurrent.futures import ThreadPoolExecutor

    disabled = list(nlp.disabled)
    alone = _records(nlp, TEXTS)
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: _records(nlp, TEXTS), range(16)))
    assert all(run == alone for run in runs)
    assert nlp.disabled == disabled


def test_the_larger_tokenizer_cache_changes_no_token(nlp):
    import spacy

    from quotes.nlp import TOKENIZER_CACHE

    assert nlp.tokenizer.max_cache_size == TOKENIZER_CACHE
    stock = spacy.blank("fr")  # the same French tokenizer rules, spaCy's own cache size
    assert stock.tokenizer.max_cache_size < TOKENIZER_CACHE
    for _ in range(2):  # the second pass reads the cache
        for text in TEXTS:
            ours, theirs = nlp.make_doc(text), stock.make_doc(text)
            assert [(t.text, t.norm_, t.whitespace_) for t in ours] == [(t.text, t.norm_, t.whitespace_) for t in theirs]
