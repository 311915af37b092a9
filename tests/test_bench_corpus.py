"""The benchmark corpus generator: deterministic, distinct texts, the corpus's quote density kept."""
import random
import statistics

import pytest

from bench.corpus import DEFAULT_SOURCE, Generator, Person, load_articles, person_pool, quote_share, write_corpus


@pytest.fixture(scope="module")
def articles():
    return load_articles(DEFAULT_SOURCE)


@pytest.fixture(scope="module")
def generator(articles):
    return Generator(articles, seed=7)


@pytest.fixture(scope="module")
def sample(generator):
    return list(generator.series(1500))


def test_same_seed_same_articles(articles, sample):
    again = list(Generator(articles, seed=7).series(40))
    assert again == sample[:40]


def test_other_seed_other_articles(articles, sample):
    other = list(Generator(articles, seed=8).series(40))
    assert [a["text"] for a in other] != [a["text"] for a in sample[:40]]


def test_written_file_is_byte_identical(tmp_path):
    first = write_corpus(30, tmp_path / "a.jsonl", seed=3)
    second = write_corpus(30, tmp_path / "b.jsonl", seed=3)
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text(encoding="utf-8").splitlines()) == 30


def test_ids_and_texts_distinct(sample):
    assert len({a["id"] for a in sample}) == len(sample)
    assert len({a["text"] for a in sample}) == len(sample)
    assert all(a["text"].strip() for a in sample)


def test_quote_density_kept(articles, sample):
    real = quote_share(a["text"] for a in articles)
    generated = quote_share(a["text"] for a in sample)
    assert 0.3 < real < 0.5  # the corpus README: 80 % of articles hold «»
    assert abs(generated - real) < 0.03
    with_quotes = sum("«" in a["text"] for a in sample) / len(sample)
    assert with_quotes > 0.6


def test_lengths_vary_around_the_corpus(articles, sample):
    real = statistics.mean(len(a["text"]) for a in articles)
    lengths = [len(a["text"]) for a in sample]
    assert 0.75 * real < statistics.mean(lengths) < 1.25 * real
    assert statistics.pstdev(lengths) > 0.3 * real


def test_paragraphs_come_from_the_corpus(articles, sample):
    source = {p for a in articles for p in a["text"].split("\n")}
    generated = [p for a in sample[:200] for p in a["text"].split("\n")]
    verbatim = sum(p in source for p in generated) / len(generated)
    # The rest are corpus paragraphs with people renamed.
    assert 0.5 < verbatim < 1.0


def test_person_pool_holds_people_not_places(articles):
    pool = set(person_pool(articles))
    assert Person("Emmanuel", "Macron") in pool
    assert Person("Bruno", "Le Maire") in pool
    assert not {Person("Le", "Monde"), Person("La", "France"), Person("Burkina", "Faso")} & pool


def test_renaming_is_consistent_within_an_article(generator):
    text = "Emmanuel Macron a parlé. «Non», a dit M. Macron. Jean-Marie Le Pen aussi. Macron répond."
    found = [Person("Emmanuel", "Macron"), Person("Jean-Marie", "Le Pen")]
    renamed = generator._rename(text, found, random.Random(1))
    assert "Macron" not in renamed and "Le Pen" not in renamed
    new = renamed.split()[1]
    assert renamed.startswith(f"Emmanuel {new} a parlé.")
    assert renamed.count(new) == 3
    assert "Jean-Marie " in renamed
