"""A fast synthetic fill of the migrated schema: documents, speakers and quotes in bulk.

Rows go straight into the tables the migrations made (SQLAlchemy Core
executemany, large transactions); on SQLite the FTS5 index is rebuilt from the quotes
table after each fill, so it is in step exactly as the migration's triggers keep it;
PostgreSQL keeps its GIN index itself, and is vacuumed and analysed after. Quote texts are real
quotes from the news corpus, some spliced from two, so their lengths and words
are a newspaper's. Speakers are real first names and surnames of the corpus
recombined, their quote counts Zipf-distributed (a few speakers hold many
quotes, most hold few), one speaker per 15 quotes, one quote in ten unattributed.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate

from sqlalchemy import Engine, event, func, insert, select

from quotes.db import make_engine
from quotes.models import Document, Quote, Speaker, SpeakerWord
from quotes.text import content_hash, fold, name_words

from .corpus import load_articles, person_pool

QUOTES_PER_SPEAKER = 15
QUOTES_PER_DOCUMENT = 8
UNATTRIBUTED = 0.1
ZIPF_EXPONENT = 1.0
SOURCES = ("AFP", "ATS", "Reuters", "Le Monde", "Le Figaro", "Libération", "L'Humanité", "Le Temps", "Le Devoir",
           "La Presse", "Sidwaya", "Le Pays", "Ouest-France", "20 Minutes", "Le Parisien", "La Libre", "Mediapart")
CUES = (("a déclaré", "déclarer"), ("a affirmé", "affirmer"), ("a expliqué", "expliquer"), ("a dit", "dire"),
        ("a ajouté", "ajouter"), ("estime", "estimer"), ("a souligné", "souligner"), ("a averti", "avertir"),
        ("a poursuivi", "poursuivre"), ("a fait valoir", "faire valoir"), ("selon", "selon"), ("a lancé", "lancer"))
ROLES = ("ministre de l'Intérieur", "porte-parole du gouvernement", "député", "maire", "président du parti",
         "syndicaliste", "avocat", "chercheur au CNRS", "secrétaire général", "procureur de la République")
_QUOTE = re.compile(r"«\s*([^«»]{12,600}?)\s*»")


@dataclass
class FillState:
    """What has been filled so far (so a second call extends the same database)."""

    speakers: int = 0
    quotes: int = 0
    documents: int = 0
    speaker_names: list[str] = field(default_factory=list)


def _fast_pragmas(dbapi_connection, connection_record) -> None:
    # A benchmark fill need not survive a power cut; a bigger cache keeps index pages in memory.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.close()


class Filler:
    def __init__(self, url: str, seed: int = 0):
        self.engine = make_engine(url)
        self.sqlite = self.engine.dialect.name == "sqlite"
        if self.sqlite:
            event.listen(self.engine, "connect", _fast_pragmas)
        self.rng = random.Random(seed)
        articles = load_articles()
        self.quotes = sorted({m.group(1) for a in articles for m in _QUOTE.finditer(a["text"])})
        people = person_pool(articles)
        firsts = sorted({p.first for p in people})
        surnames = sorted({p.surname for p in people})
        # One name per folded key ("Édouard" and "Edouard" are one speaker).
        combos = list({fold(name): name for name in (f"{f} {s}" for f in firsts for s in surnames)}.values())
        self.rng.shuffle(combos)
        self.names = combos
        self.state = FillState()

    # Speakers: the first ones are the talkative ones (Zipf by rank).
    def _speaker_weights(self, n: int) -> list[float]:
        return list(accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(n)))

    def _quote_text(self) -> str:
        first = self.rng.choice(self.quotes)
        if self.rng.random() < 0.5:
            return first
        # Splice two real quotes at word boundaries: new texts, the same words.
        second = self.rng.choice(self.quotes)
        a, b = first.split(), second.split()
        return " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])

    def fill_to(self, total_quotes: int, chunk: int = 50_000) -> dict:
        """Add documents, speakers and quotes until the database holds ``total_quotes`` quotes."""
        state = self.state
        n_speakers = max(1, total_quotes // QUOTES_PER_SPEAKER)
        with self.engine.begin() as connection:
            start_id = connection.scalar(select(func.coalesce(func.max(Speaker.id), 0)))
            new = [
                {"name": name, "key": fold(name), "kind": "person", "scope": 0}
                for name in self.names[state.speakers : n_speakers]
            ]
            if new:
                connection.execute(insert(Speaker), new)
                # The word index the speaker filter looks names up in (as store.py keeps it).
                first_new = start_id + 1
                words = [
                    {"speaker_id": first_new + i, "position": position, "word": word}
                    for i, row in enumerate(new)
                    for position, word in enumerate(name_words(row["name"]))
                ]
                connection.execute(insert(SpeakerWord), words)
            state.speaker_names = self.names[:n_speakers]
            state.speakers = n_speakers
            speaker_ids = list(range(1, start_id + len(new) + 1))
        cumulative = self._speaker_weights(len(speaker_ids))
        with self._fts_rebuilt_after():
            self._fill_quotes(total_quotes, speaker_ids, cumulative, chunk)
        return {"quotes": state.quotes, "documents": state.documents, "speakers": state.speakers}

    @contextmanager
    def _fts_rebuilt_after(self):
        """Index the new quotes in one FTS5 'rebuild' instead of one trigger call per row.

        Row by row, the full-text index costs three times the rest of the fill; the
        migration's own insert trigger is put back as it was, and the rebuild leaves
        the index exactly in step with the quotes table.
        """
        if not self.sqlite:
            yield
            # What autovacuum does after a large load: the planner's statistics, and the visibility map
            # that lets a count read the indexes without visiting every matching row.
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
            return
        with self.engine.begin() as connection:
            trigger = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'quotes_fts_after_insert'"
            ).scalar_one()
            connection.exec_driver_sql("DROP TRIGGER quotes_fts_after_insert")
        try:
            yield
        finally:
            with self.engine.begin() as connection:
                connection.exec_driver_sql("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')")
                connection.exec_driver_sql(trigger)

    def _fill_quotes(self, total_quotes: int, speaker_ids: list[int], cumulative: list[float], chunk: int) -> None:
        state = self.state
        while state.quotes < total_quotes:
            wanted = min(chunk, total_quotes - state.quotes)
            with self.engine.begin() as connection:
                doc_id = connection.scalar(select(func.coalesce(func.max(Document.id), 0)))
                documents, quotes = [], []
                while len(quotes) < wanted:
                    doc_id += 1
                    size = min(wanted - len(quotes), max(1, round(self.rng.expovariate(1 / QUOTES_PER_DOCUMENT))))
                    # A dateline makes every text distinct (documents are unique by content hash).
                    day = dt.datetime(2015, 1, 1) + dt.timedelta(days=self.rng.randrange(9 * 365))
                    source = self.rng.choice(SOURCES)
                    dateline = f"{source}, {day:%d/%m/%Y} (dépêche {doc_id}). "
                    texts, parts, offset, seen = [], [dateline], len(dateline), set()
                    while len(texts) < size:
                        text = self._quote_text()
                        # Lower case stands in for store.quote_key's fold here: it is only
                        # the per-document uniqueness key, and folding costs more than the insert.
                        key = text.lower()
                        if key in seen:
                            continue
                        seen.add(key)
                        speaker = None
                        if self.rng.random() >= UNATTRIBUTED:
                            speaker = self.rng.choices(speaker_ids, cum_weights=cumulative)[0]
                        cue, lemma = self.rng.choice(CUES)
                        name = state.speaker_names[speaker - 1] if speaker else "un responsable"
                        start = offset + 1  # after «
                        sentence = f"«{text}», {cue} {name}. "
                        parts.append(sentence)
                        quotes.append({
                            "document_id": doc_id, "speaker_id": speaker, "quote": text,
                            "quote_key": content_hash(key), "start": start, "end": start + len(text),
                            "cue": cue, "cue_lemma": lemma, "type": "direct", "mention": name,
                            # Six speakers in ten have a role, given with their quotes; the others are labels.
                            "role": ROLES[speaker % len(ROLES)] if speaker and speaker % 10 < 6 else None,
                            "speaker_label": None if speaker else "responsable", "published_at": day,
                            "confidence": round(self.rng.uniform(0.6, 1.0), 2),
                        })
                        texts.append(text)
                        offset += len(sentence)
                    body = "".join(parts).rstrip()
                    documents.append({
                        "id": doc_id, "text": body, "content_hash": content_hash(body),
                        "title": f"Article {doc_id}", "url": f"https://example.invalid/{doc_id}",
                        "source": source, "source_key": fold(source), "published_at": day, "published_offset": 0,
                        "published_on": day.date(), "created_at": day,
                    })
                connection.execute(insert(Document), documents)
                connection.execute(insert(Quote), quotes)
            state.quotes += len(quotes)
            state.documents += len(documents)


def sample_check(engine: Engine, n: int = 50) -> None:
    """Offsets slice each document to its quote, as the real ingest guarantees."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Quote.quote, Quote.start, Quote.end, Document.text)
            .join(Document, Quote.document_id == Document.id)
            .order_by(Quote.id.desc())
            .limit(n)
        ).all()
    for quote, start, end, text in rows:
        if text[start:end] != quote:
            raise AssertionError(f"offsets do not slice the document: {quote!r}")
