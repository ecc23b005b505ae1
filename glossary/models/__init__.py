"""SQLAlchemy models; no Flask imports here."""

from .auth import ApiToken, User
from .base import Base, utcnow
from .document import (
    DOCUMENT_KINDS,
    CorpusState,
    CorpusYear,
    Document,
    DocumentShingle,
    Occurrence,
    ReindexRequest,
    TermDocumentCount,
    TermYearCount,
)
from .ratelimit import RateLimitCounter
from .revision import Revision
from .shared import SharedAnnotation
from .source import Source
from .state import KEY_LENGTH, AnnotationChange, GlossaryState, SearchGram, SearchKey
from .term import (
    ANNOTATION_POLICIES,
    FORM_TAGS,
    FORM_TYPES,
    PINYIN_LENGTH,
    RELATION_TYPES,
    TERM_KINDS,
    TERM_STATUSES,
    TRANSLATION_STATUSES,
    Definition,
    Excerpt,
    Relation,
    SurfaceForm,
    Term,
    TermTag,
    Translation,
)

__all__ = [
    "ANNOTATION_POLICIES",
    "AnnotationChange",
    "FORM_TYPES",
    "ApiToken",
    "Base",
    "DOCUMENT_KINDS",
    "Definition",
    "Document",
    "DocumentShingle",
    "Excerpt",
    "FORM_TAGS",
    "GlossaryState",
    "KEY_LENGTH",
    "Occurrence",
    "PINYIN_LENGTH",
    "RELATION_TYPES",
    "CorpusState",
    "CorpusYear",
    "RateLimitCounter",
    "ReindexRequest",
    "Relation",
    "Revision",
    "SearchGram",
    "SearchKey",
    "SharedAnnotation",
    "Source",
    "SurfaceForm",
    "TERM_KINDS",
    "TERM_STATUSES",
    "TRANSLATION_STATUSES",
    "Term",
    "TermDocumentCount",
    "TermTag",
    "TermYearCount",
    "Translation",
    "User",
    "utcnow",
]
