"""Initial schema: terms with forms, translations, definitions, excerpts, relations, tags;
sources; revisions; users and API tokens; glossary version; search index tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 16:45:31.356665
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("scope IN ('read', 'write')", name=op.f('ck_api_tokens_scope')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('glossary_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_state'))
    )
    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint("action IN ('create', 'update', 'delete', 'restore')", name=op.f('ck_revisions_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('slug', 'number', name='uq_revisions_slug_number')
    )
    op.create_index(op.f('ix_revisions_created'), 'revisions', ['created'], unique=False)
    op.create_index(op.f('ix_revisions_slug'), 'revisions', ['slug'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.String(length=128), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('container', sa.Text(), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('simplified', sa.String(length=200), nullable=False),
    sa.Column('traditional', sa.String(length=200), nullable=False),
    sa.Column('pinyin', sa.String(length=400), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('first_use_date', sa.String(length=10), nullable=True),
    sa.Column('first_use_source_id', sa.String(length=128), nullable=True),
    sa.Column('first_use_locator', sa.Text(), nullable=True),
    sa.Column('first_use_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('concept', 'formulation', 'slogan', 'institution', 'campaign', 'policy', 'publication', 'event', 'person')", name=op.f('ck_terms_kind')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_terms_status')),
    sa.ForeignKeyConstraint(['first_use_source_id'], ['sources.id'], name=op.f('fk_terms_first_use_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_terms')),
    sa.UniqueConstraint('slug', name=op.f('uq_terms_slug'))
    )
    op.create_index(op.f('ix_terms_status'), 'terms', ['status'], unique=False)
    op.create_index(op.f('ix_terms_updated'), 'terms', ['updated'], unique=False)

    op.create_table('definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_id', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_definitions_source_id_sources')),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_definitions_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_definitions'))
    )
    op.create_index(op.f('ix_definitions_term_id'), 'definitions', ['term_id'], unique=False)

    op.create_table('excerpts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=128), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('locator', sa.Text(), nullable=True),
    sa.Column('lang', sa.String(length=35), nullable=True),
    sa.Column('translation', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_excerpts_source_id_sources')),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_excerpts_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_excerpts'))
    )
    op.create_index(op.f('ix_excerpts_source_id'), 'excerpts', ['source_id'], unique=False)
    op.create_index(op.f('ix_excerpts_term_id'), 'excerpts', ['term_id'], unique=False)

    op.create_table('relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.CheckConstraint("type IN ('broader', 'narrower', 'related', 'component-of', 'has-component', 'variant-of', 'abbreviation-of')", name=op.f('ck_relations_type')),
    sa.ForeignKeyConstraint(['target_id'], ['terms.id'], name=op.f('fk_relations_target_id_terms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_relations_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relations')),
    sa.UniqueConstraint('term_id', 'target_id', 'type', name='uq_relations_term_target_type')
    )
    op.create_index(op.f('ix_relations_target_id'), 'relations', ['target_id'], unique=False)
    op.create_index(op.f('ix_relations_term_id'), 'relations', ['term_id'], unique=False)

    op.create_table('search_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('key', sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql'), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('offset', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_search_keys_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_keys'))
    )
    op.create_index(op.f('ix_search_keys_key'), 'search_keys', ['key'], unique=False)
    op.create_index(op.f('ix_search_keys_term_id'), 'search_keys', ['term_id'], unique=False)

    op.create_table('surface_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('tag', sa.String(length=10), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("origin IN ('primary', 'derived', 'curated')", name=op.f('ck_surface_forms_origin')),
    sa.CheckConstraint("tag IN ('zh-Hans', 'zh-Hant', 'zh-TW', 'zh-HK')", name=op.f('ck_surface_forms_tag')),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_surface_forms_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surface_forms')),
    sa.UniqueConstraint('text', name=op.f('uq_surface_forms_text'))
    )
    op.create_index(op.f('ix_surface_forms_term_id'), 'surface_forms', ['term_id'], unique=False)

    op.create_table('term_tags',
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_term_tags_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'tag', name=op.f('pk_term_tags'))
    )
    op.create_index(op.f('ix_term_tags_tag'), 'term_tags', ['tag'], unique=False)

    op.create_table('translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=35), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('date_from', sa.String(length=10), nullable=True),
    sa.Column('date_until', sa.String(length=10), nullable=True),
    sa.Column('source_id', sa.String(length=128), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('official', 'preferred', 'alternative', 'deprecated')", name=op.f('ck_translations_status')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_translations_source_id_sources')),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_translations_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translations'))
    )
    op.create_index(op.f('ix_translations_term_id'), 'translations', ['term_id'], unique=False)

    op.create_table('search_grams',
    sa.Column('gram', sa.String(length=8), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['search_keys.id'], name=op.f('fk_search_grams_key_id_search_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('gram', 'key_id', name=op.f('pk_search_grams'))
    )
    op.create_index(op.f('ix_search_grams_key_id'), 'search_grams', ['key_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_search_grams_key_id'), table_name='search_grams')

    op.drop_table('search_grams')
    op.drop_index(op.f('ix_translations_term_id'), table_name='translations')

    op.drop_table('translations')
    op.drop_index(op.f('ix_term_tags_tag'), table_name='term_tags')

    op.drop_table('term_tags')
    op.drop_index(op.f('ix_surface_forms_term_id'), table_name='surface_forms')

    op.drop_table('surface_forms')
    op.drop_index(op.f('ix_search_keys_term_id'), table_name='search_keys')
    op.drop_index(op.f('ix_search_keys_key'), table_name='search_keys')

    op.drop_table('search_keys')
    op.drop_index(op.f('ix_relations_term_id'), table_name='relations')
    op.drop_index(op.f('ix_relations_target_id'), table_name='relations')

    op.drop_table('relations')
    op.drop_index(op.f('ix_excerpts_term_id'), table_name='excerpts')
    op.drop_index(op.f('ix_excerpts_source_id'), table_name='excerpts')

    op.drop_table('excerpts')
    op.drop_index(op.f('ix_definitions_term_id'), table_name='definitions')

    op.drop_table('definitions')
    op.drop_index(op.f('ix_terms_updated'), table_name='terms')
    op.drop_index(op.f('ix_terms_status'), table_name='terms')

    op.drop_table('terms')
    op.drop_table('users')
    op.drop_table('sources')
    op.drop_index(op.f('ix_revisions_slug'), table_name='revisions')
    op.drop_index(op.f('ix_revisions_created'), table_name='revisions')

    op.drop_table('revisions')
    op.drop_table('glossary_state')
    op.drop_table('api_tokens')
