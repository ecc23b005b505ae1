"""A term and everything that hangs off it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .source import Source

TERM_KINDS = (
    "concept",
    "formulation",
    "slogan",
    "institution",
    "campaign",
    "policy",
    "publication",
    "event",
    "person",
)
TERM_STATUSES = ("draft", "published")
TRANSLATION_STATUSES = ("official", "preferred", "alternative", "deprecated")
FORM_TAGS = ("zh-Hans", "zh-Hant", "zh-TW", "zh-HK")
# auto: linked wherever it occurs; confirm: reported with confidence "low" and not linked by
# default (a word that is a term only in some contexts); never: not matched by the annotator at
# all (still found by search and lookup). See docs/format.md.
ANNOTATION_POLICIES = ("auto", "confirm", "never")
# What a surface form is to its term. "primary": the term's own simplified and traditional
# headwords; "script": the headword in another script or region's spelling (zh-TW, zh-HK);
# the rest are curated forms an editor types. See docs/format.md.
FORM_TYPES = (
    "primary",
    "script",
    "abbreviation",
    "full",
    "older",
    "punctuation",
    "formula-spelling",
    "variant",
)
PINYIN_LENGTH = 400  # the glossary/1 schema's maxLength for pinyin
RELATION_TYPES = (
    "broader",
    "narrower",
    "related",
    "component-of",
    "has-component",
    "variant-of",
    "abbreviation-of",
)


class Term(Base):
    __tablename__ = "terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default="concept")
    simplified: Mapped[str] = mapped_column(sa.String(200))
    traditional: Mapped[str] = mapped_column(sa.String(200))
    pinyin: Mapped[str] = mapped_column(sa.String(PINYIN_LENGTH))
    status: Mapped[str] = mapped_column(sa.String(10), default="published", index=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    annotation_policy: Mapped[str] = mapped_column(sa.String(10), default="auto", server_default="auto")
    policy_note: Mapped[str | None] = mapped_column(sa.Text)
    first_use_date: Mapped[str | None] = mapped_column(sa.String(10))
    first_use_source_id: Mapped[str | None] = mapped_column(sa.ForeignKey("sources.id"))
    first_use_locator: Mapped[str | None] = mapped_column(sa.Text)
    first_use_note: Mapped[str | None] = mapped_column(sa.Text)
    first_use_basis: Mapped[str | None] = mapped_column(sa.String(10))  # asserted or attested
    first_use_scope: Mapped[str | None] = mapped_column(sa.String(30))  # one of FIRST_USE_SCOPES
    first_use_excerpt: Mapped[str | None] = mapped_column(sa.Text)  # the attesting passage, verbatim
    version: Mapped[int] = mapped_column(default=1)
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    forms: Mapped[list[SurfaceForm]] = relationship(
        back_populates="term", cascade="all, delete-orphan", order_by="SurfaceForm.id"
    )
    translations: Mapped[list[Translation]] = relationship(
        back_populates="term", cascade="all, delete-orphan", order_by="Translation.id"
    )
    definitions: Mapped[list[Definition]] = relationship(
        back_populates="term", cascade="all, delete-orphan", order_by="Definition.id"
    )
    excerpts: Mapped[list[Excerpt]] = relationship(
        back_populates="term", cascade="all, delete-orphan", order_by="Excerpt.id"
    )
    relations: Mapped[list[Relation]] = relationship(
        back_populates="term",
        cascade="all, delete-orphan",
        foreign_keys="Relation.term_id",
        order_by="Relation.id",
    )
    tags: Mapped[list[TermTag]] = relationship(
        back_populates="term", cascade="all, delete-orphan", order_by="TermTag.tag"
    )
    first_use_source: Mapped[Source | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(f"kind IN {TERM_KINDS}", name="kind"),
        sa.CheckConstraint(f"status IN {TERM_STATUSES}", name="status"),
        sa.CheckConstraint(f"annotation_policy IN {ANNOTATION_POLICIES}", name="annotation_policy"),
    )


class SurfaceForm(Base):
    """A string that counts as the term in running text. Unique across the glossary."""

    __tablename__ = "surface_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(200), unique=True)
    tag: Mapped[str] = mapped_column(sa.String(10))
    origin: Mapped[str] = mapped_column(sa.String(10))  # primary, derived or curated
    type: Mapped[str] = mapped_column(sa.String(20), default="variant", server_default="variant")
    note: Mapped[str | None] = mapped_column(sa.Text)

    term: Mapped[Term] = relationship(back_populates="forms")

    __table_args__ = (
        sa.CheckConstraint(f"tag IN {FORM_TAGS}", name="tag"),
        sa.CheckConstraint("origin IN ('primary', 'derived', 'curated')", name="origin"),
        sa.CheckConstraint(f"type IN {FORM_TYPES}", name="type"),
    )


class Translation(Base):
    __tablename__ = "translations"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(sa.String(35))
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(12))
    date_from: Mapped[str | None] = mapped_column(sa.String(10))
    date_until: Mapped[str | None] = mapped_column(sa.String(10))
    source_id: Mapped[str | None] = mapped_column(sa.ForeignKey("sources.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # verbatim passage of the source that shows this rendering: an official rendering's proof
    excerpt: Mapped[str | None] = mapped_column(sa.Text)

    term: Mapped[Term] = relationship(back_populates="translations")
    source: Mapped[Source | None] = relationship()

    __table_args__ = (sa.CheckConstraint(f"status IN {TRANSLATION_STATUSES}", name="status"),)


class Definition(Base):
    __tablename__ = "definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(sa.String(35))
    text: Mapped[str] = mapped_column(sa.Text)
    source_id: Mapped[str | None] = mapped_column(sa.ForeignKey("sources.id"))

    term: Mapped[Term] = relationship(back_populates="definitions")
    source: Mapped[Source | None] = relationship()


class Excerpt(Base):
    """A verbatim passage from a source that attests the term."""

    __tablename__ = "excerpts"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[str] = mapped_column(sa.ForeignKey("sources.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    locator: Mapped[str | None] = mapped_column(sa.Text)
    lang: Mapped[str | None] = mapped_column(sa.String(35))
    translation: Mapped[str | None] = mapped_column(sa.Text)

    term: Mapped[Term] = relationship(back_populates="excerpts")
    source: Mapped[Source] = relationship()


class Relation(Base):
    """'term is TYPE target', e.g. 网络空间命运共同体 is narrower than 人类命运共同体."""

    __tablename__ = "relations"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(sa.String(20))

    term: Mapped[Term] = relationship(back_populates="relations", foreign_keys=[term_id])
    target: Mapped[Term] = relationship(foreign_keys=[target_id])

    __table_args__ = (
        sa.UniqueConstraint("term_id", "target_id", "type", name="uq_relations_term_target_type"),
        sa.CheckConstraint(f"type IN {RELATION_TYPES}", name="type"),
    )


class TermTag(Base):
    __tablename__ = "term_tags"

    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(sa.String(64), primary_key=True, index=True)

    term: Mapped[Term] = relationship(back_populates="tags")
