"""Deterministic benchmark corpus: real articles' paragraphs resampled into N new articles.

The source is ``../shared/corpus/news-fr.jsonl`` (887 real French articles), read in
place. Each generated article mixes the paragraphs of one to three source articles
in runs of consecutive paragraphs (a quotation that spans paragraphs stays whole),
shuffles the runs, varies the length, and renames the people it mentions
consistently (full name and bare surname alike) with surnames drawn from the
corpus itself. Paragraphs are drawn without regard to their content, so the share
of paragraphs holding «» quotes stays that of the corpus.

    python -m bench.corpus --n 10000 --seed 1 --output bench-out/corpus-10000.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "corpus" / "news-fr.jsonl"
DEFAULT_OUTPUT_DIR = REPO_ROOT / "bench-out"

_UPPER = "A-ZÉÈÊÀÂÎÔÛÇ"
_LOWER = "a-zéèëêïîôöüûçàâ"
# Surname particles kept with the surname ("Le Maire", "de Rugy", "d’Estaing").
_PARTICLE = r"(?:(?:de|du|Le|La|van|von|di|da|Di|Da|El|Al|Ben)\s|d['’])"
_SURNAME = rf"{_PARTICLE}?[{_UPPER}][{_LOWER}{_UPPER}'’-]*[{_LOWER}]"
_FULL_NAME = re.compile(rf"\b([{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?) ({_SURNAME})\b")
_HONORIFIC_NAME = re.compile(rf"\b(?:M\.|Mme|Mlle|Monsieur|Madame)\s+({_SURNAME})")
_HONORIFICS = {"M", "Mme", "Mlle", "Me", "Mgr", "Dr", "Pr", "Monsieur", "Madame"}
_LOWER_WORD = re.compile(rf"\b[{_LOWER}][\w-]*")

# How many source articles one generated article mixes, with their weights.
_MIX = ((1, 0.5), (2, 0.35), (3, 0.15))


@dataclass(frozen=True, order=True)
class Person:
    first: str
    surname: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.surname}"


def load_articles(path: Path | str = DEFAULT_SOURCE) -> list[dict]:
    """The source articles, one dict per JSON line, in file order."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def quote_share(texts: Iterable[str]) -> float:
    """Share of paragraphs that hold an opening guillemet."""
    total = with_quote = 0
    for text in texts:
        for paragraph in paragraphs(text):
            total += 1
            with_quote += "«" in paragraph
    return with_quote / total if total else 0.0


def person_pool(articles: list[dict]) -> list[Person]:
    """People named "Prénom Nom" in the corpus, in a stable order.

    A capitalised pair counts as a person when its first word never occurs in lower
    case (so not "Le Monde", "La France") and is the first name of someone the
    corpus also calls M./Mme Surname (so not "Burkina Faso").
    """
    text = "\n".join(article["text"] for article in articles)
    lower_words = set(_LOWER_WORD.findall(text))
    pairs: Counter[Person] = Counter()
    for match in _FULL_NAME.finditer(text):
        first, surname = match.groups()
        if first in _HONORIFICS or first.lower() in lower_words:
            continue
        pairs[Person(first, surname)] += 1
    honoured = set(_HONORIFIC_NAME.findall(text))
    first_names = {person.first for person in pairs if person.surname in honoured}
    return sorted(person for person in pairs if person.first in first_names)


class Generator:
    """Makes article ``i`` of a seeded series; the same (corpus, seed) gives the same series."""

    def __init__(self, articles: list[dict], seed: int = 0):
        self.articles = articles
        self.seed = seed
        self.runs = [self._runs(paragraphs(article["text"])) for article in articles]
        self.people = person_pool(articles)
        self.surnames = sorted({person.surname for person in self.people})
        # Who each source paragraph names, found once per corpus.
        pool = set(self.people)
        self._named: dict[str, frozenset[Person]] = {}
        for article_runs in self.runs:
            for run in article_runs:
                for paragraph in run:
                    found = (Person(*m.groups()) for m in _FULL_NAME.finditer(paragraph))
                    self._named[paragraph] = frozenset(p for p in found if p in pool)

    @staticmethod
    def _runs(paras: list[str]) -> list[list[str]]:
        """Consecutive paragraphs grouped in runs of up to three (quotes may span them)."""
        runs, i = [], 0
        while i < len(paras):
            size = 1 + (hash_int(paras[i]) % 3)
            runs.append(paras[i : i + size])
            i += size
        return runs

    def article(self, index: int, attempt: int = 0) -> dict:
        rng = random.Random(f"{self.seed}:{index}:{attempt}")
        k = rng.choices([k for k, _ in _MIX], weights=[w for _, w in _MIX])[0]
        sources = rng.sample(range(len(self.articles)), k)
        runs = [run for s in sources for run in self.runs[s]]
        rng.shuffle(runs)
        # Length: the first source's paragraph count, scaled by 0.5–1.5.
        wanted = max(1, round(sum(map(len, self.runs[sources[0]])) * rng.uniform(0.5, 1.5)))
        chosen: list[str] = []
        for run in runs:
            if len(chosen) >= wanted:
                break
            chosen.extend(run)
        named = sorted(frozenset().union(*(self._named[p] for p in chosen)))
        text = self._rename("\n".join(chosen), named, rng)
        first = self.articles[sources[0]]
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
        return {
            "id": f"bench-{self.seed}-{index:07d}",
            "title": first.get("title"),
            "url": f"https://bench.invalid/{self.seed}/{index}",
            "source": "bench-generator",
            "published_at": day.isoformat(),
            "text": text,
        }

    def _rename(self, text: str, found: list[Person], rng: random.Random) -> str:
        """Give every person ``found`` in ``text`` another surname, the same all through it."""
        if not found:
            return text
        mapping: dict[str, str] = {}
        for person in found:
            if person.surname in mapping:
                continue
            taken = set(mapping.values()) | {p.surname for p in found}
            choices = [s for s in rng.sample(self.surnames, min(8, len(self.surnames))) if s not in taken]
            if choices:
                mapping[person.surname] = choices[0]
        if not mapping:
            return text
        # One pass over the text, so a new surname is never renamed again; not inside
        # a hyphenated word ("Jean-Marie" keeps its "Marie").
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(mapping, key=lambda s: (-len(s), s)))) + r")\b"
        )
        return pattern.sub(lambda m: mapping[m.group(0)], text)

    def series(self, n: int) -> Iterator[dict]:
        """Articles 0..n-1, each text distinct (a repeat is drawn again)."""
        seen: set[str] = set()
        for index in range(n):
            attempt = 0
            while True:
                article = self.article(index, attempt)
                digest = hashlib.sha256(article["text"].encode()).hexdigest()
                if digest not in seen:
                    seen.add(digest)
                    yield article
                    break
                attempt += 1


def hash_int(text: str) -> int:
    """A stable small integer from text (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")


def generate(n: int, seed: int = 0, source: Path | str = DEFAULT_SOURCE) -> Iterator[dict]:
    return Generator(load_articles(source), seed).series(n)


def write_corpus(n: int, output: Path | str, seed: int = 0, source: Path | str = DEFAULT_SOURCE) -> Path:
    """Write ``n`` generated articles as JSON Lines to ``output``; returns the path."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as handle:
        for article in generate(n, seed, source):
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default=str(DEFAULT_SOURCE), help="the real corpus (JSON Lines)")
    parser.add_argument("--output", help="default: bench-out/corpus-N-sSEED.jsonl")
    args = parser.parse_args(argv)
    output = args.output or DEFAULT_OUTPUT_DIR / f"corpus-{args.n}-s{args.seed}.jsonl"
    path = write_corpus(args.n, output, args.seed, args.source)
    print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
