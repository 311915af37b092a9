"""ORM models: documents, the speakers named in them, and their quotes."""
from datetime import date, datetime, timezone

from sqlalchemy import JSON, BigInteger, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite integers are 64-bit: a bigger id could only overflow, never match.
MAX_ID = 2**63 - 1

from .dates import as_utc, with_offset  # noqa: F401  (as_utc: the stored-datetime convention, used with the models)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    # Ids and the keys that point at them are 64-bit everywhere, as SQLite's rowids are: BIGINT on
    # PostgreSQL (migration 0005), where INTEGER would stop at 2**31 - 1; SQLite keeps INTEGER, the
    # rowid alias its autoincrementing primary keys need.
    type_annotation_map = {int: BigInteger().with_variant(Integer(), "sqlite")}
    # Named constraints: Alembic batch mode on SQLite can only alter what has a name.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255), index=True)
    source_key: Mapped[str | None] = mapped_column(String(255), index=True)  # text.fold(source): what the filter compares
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # the instant, naive UTC
    # The offset the date was given with (minutes east of UTC; 0 when it had none), and the
    # publication's own date: an article of 00:30+01:00 on the 12th is on the 12th.
    published_offset: Mapped[int | None] = mapped_column(Integer)
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    # The database cascades the delete (ON DELETE CASCADE); the ORM need not load quotes to do it.
    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="Quote.start"
    )

    @property
    def published(self) -> datetime | None:
        """The publication date-time in the offset it was given with."""
        return with_offset(self.published_at, self.published_offset)

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.content_hash[:8]}>"


# A speaker's scope: the whole archive, or (a document id) the one document a one-word name is known in.
ARCHIVE = 0


class Speaker(Base):
    """A person or an organisation the texts name; its roles are those its quotes carry (search.speaker_roles)."""

    __tablename__ = "speakers"
    # One speaker per folded name and scope (see quotes.identity).
    __table_args__ = (UniqueConstraint("key", "scope", name="uq_speakers_key_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    key: Mapped[str] = mapped_column(String(255))  # text.fold(name)
    kind: Mapped[str] = mapped_column(String(16), default="person", server_default="person")  # extract.SPEAKER_KINDS
    scope: Mapped[int] = mapped_column(Integer, default=ARCHIVE, server_default=str(ARCHIVE))

    @property
    def document_id(self) -> int | None:
        """The one document this speaker is known in, or None for a speaker of the whole archive."""
        return self.scope or None

    quotes: Mapped[list["Quote"]] = relationship(back_populates="speaker", passive_deletes=True)
    words: Mapped[list["SpeakerWord"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SpeakerWord.position"
    )

    def __repr__(self) -> str:
        return f"<Speaker {self.id} {self.name!r}>"


class SpeakerWord(Base):
    """One word of a speaker's folded name: an index to find speakers by any word without scanning them all."""

    __tablename__ = "speaker_words"

    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    word: Mapped[str] = mapped_column(String(255), index=True)

    def __repr__(self) -> str:
        return f"<SpeakerWord {self.speaker_id}:{self.position} {self.word!r}>"


class Quote(Base):
    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end", name="uq_quotes_document_span"),
        # A quote printed twice in one document (an article pasted twice) is one record.
        UniqueConstraint("document_id", "quote_key", name="uq_quotes_document_quote_key"),
        # Quotes are listed newest first, a speaker's too: both read in order from an index.
        Index("ix_quotes_speaker_id_published_at", "speaker_id", "published_at", "id"),
        Index("ix_quotes_published_at", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    quote: Mapped[str] = mapped_column(Text)
    quote_key: Mapped[str] = mapped_column(String(64))  # content_hash(store.quote_key(quote))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    cue: Mapped[str | None] = mapped_column(String(255))
    cue_lemma: Mapped[str | None] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(16), index=True)
    mention: Mapped[str | None] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)  # the speaker's role as given with this quote
    # Who speaks when the text names nobody ("porte-parole de la préfecture"); speaker_id is then None.
    speaker_label: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    # Its document's publication instant, copied (documents never change): listings sort on it without a join.
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Why the quote has this speaker: extract.Evidence as a dict (rule, cue, mention, mention_start, steps).
    evidence: Mapped[dict | None] = mapped_column(JSON)

    document: Mapped[Document] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(back_populates="quotes")

    def __repr__(self) -> str:
        return f"<Quote {self.id} doc={self.document_id} {self.start}:{self.end}>"
