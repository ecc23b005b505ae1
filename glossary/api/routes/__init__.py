"""API v1 routes, one module per resource: each parses its input with a schema
(glossary.api.schemas), calls one service, and renders."""

from . import catalogue, corpus, corpus_compare, corpus_watch, revisions, search, shared, terms  # noqa: F401  (routes register themselves on bp)
