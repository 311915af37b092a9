"""ORM models: documents, the speakers named in them, and their quotes."""
from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite integers are 64-bit: a bigger id could only overflow, never match.
MAX_ID = 2**63 - 1


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_utc(value: datetime | None) -> datetime | None:
    """Naive UTC, the one convention for stored datetimes (aware values are converted)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
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
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    # The database cascades the delete (ON DELETE CASCADE); the ORM need not load quotes to do it.
    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="Quote.start"
    )

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.content_hash[:8]}>"


class Speaker(Base):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)  # text.fold(name)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)

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
        Index("ix_quotes_speaker_id", "speaker_id"),
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
    confidence: Mapped[float] = mapped_column(Float)

    document: Mapped[Document] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(back_populates="quotes")

    def __repr__(self) -> str:
        return f"<Quote {self.id} doc={self.document_id} {self.start}:{self.end}>"
