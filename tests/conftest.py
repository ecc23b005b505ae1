"""Fixtures: an app per test on a fresh database (SQLite by default; PostgreSQL when
GLOSSARY_TEST_DATABASE_URL names one), a client, a CLI runner and small factories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from jinja2 import MemcachedBytecodeCache
from sqlalchemy.engine import make_url

from glossary import create_app
from glossary.extensions import db, make_engine
from glossary.services import migrate

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("GLOSSARY_TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> str:
    backend = f"PostgreSQL ({PG_URL})" if PG_URL else "SQLite (set GLOSSARY_TEST_DATABASE_URL for PostgreSQL)"
    return f"glossary database backend: {backend}; shared documents: {'present' if SHARED.is_dir() else 'absent'}"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated empty database: a SQLite file to copy, or the PostgreSQL database itself."""
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "glossary.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return str(path)


SNAPSHOT = "seed_snapshot"  # on PostgreSQL: the schema holding the seeded tables, copied into public per test


def _load_seed(url: str) -> None:
    """The seed glossary into the database at url, as `glossary init` loads it."""
    from sqlalchemy.orm import sessionmaker

    from glossary.services import interchange
    from glossary.services.seed import load_seed

    engine = make_engine(url)
    with sessionmaker(engine)() as session:
        interchange.load(session, load_seed(), "seed", keep_existing=True)
        session.commit()
    engine.dispose()


def _public_tables(conn: sa.Connection) -> list[str]:
    """The app's tables (without alembic_version) in an order foreign keys can be filled in."""
    from glossary.models import Base

    query = "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
    present = set(conn.execute(sa.text(query)).scalars())
    ordered = [t.name for t in Base.metadata.sorted_tables if t.name in present]
    return ordered + sorted(present - set(ordered))


def _truncate_pg() -> None:
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(_public_tables(conn))} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_template(template_db: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed glossary loaded once for the session (it takes seconds; copying it, milliseconds):
    a SQLite file to copy, or on PostgreSQL a schema of copies of the seeded tables, with the
    sequences' values, that _fresh_url puts back into public."""
    if not PG_URL:
        path = tmp_path_factory.mktemp("seeded") / "glossary.db"
        shutil.copy(template_db, path)
        _load_seed(f"sqlite:///{path}")
        return str(path)
    _truncate_pg()
    _load_seed(PG_URL)
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SNAPSHOT}"))
        for table in _public_tables(conn):
            conn.execute(sa.text(f"CREATE TABLE {SNAPSHOT}.{table} AS TABLE public.{table}"))
        conn.execute(
            sa.text(
                f"CREATE TABLE {SNAPSHOT}._sequences AS SELECT sequencename AS name, last_value"
                " FROM pg_sequences WHERE schemaname='public' AND last_value IS NOT NULL"
            )
        )
    engine.dispose()
    return SNAPSHOT


def _restore_snapshot_pg() -> None:
    """Copies the seeded tables back into the emptied public schema, and the sequences' values."""
    engine = make_engine(PG_URL)
    with engine.begin() as conn:
        for table in _public_tables(conn):
            conn.execute(sa.text(f"INSERT INTO public.{table} SELECT * FROM {SNAPSHOT}.{table}"))
        conn.execute(sa.text(f"SELECT setval('public.' || name, last_value) FROM {SNAPSHOT}._sequences"))
    engine.dispose()


def _fresh_url(template: str, tmp_path: Path) -> str:
    """A database of the test's own holding what the template holds; on PostgreSQL the one test
    database, emptied (and refilled from the seeded snapshot when template names it)."""
    if PG_URL:
        _truncate_pg()
        if template == SNAPSHOT:
            _restore_snapshot_pg()
        return PG_URL
    target = tmp_path / "glossary.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def scratch_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """An empty database for a migration to go up and down in: SQLite, or on PostgreSQL a scratch
    database of the test server's own (the shared test database must not lose its tables)."""
    if not PG_URL:
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    name = f"glossary_migration_{os.getpid()}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine = make_engine(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


@pytest.fixture
def db_url(template_db: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The test's database: a copy of the migrated empty one, or of the seeded one for tests
    that use `seeded` (so the seed is loaded once a session, not once a test)."""
    if "seeded" in request.fixturenames:
        return _fresh_url(request.getfixturevalue("seeded_template"), tmp_path)
    return _fresh_url(template_db, tmp_path)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at werkzeug's cost takes about 0.1 s a hash, and hundreds of tests create and sign in
    editors: in-process tests hash with one round of PBKDF2 instead, except those that ask for
    `real_password_hashing` (which check what production stores). CLI subprocesses still scrypt."""
    if "real_password_hashing" not in request.fixturenames:
        monkeypatch.setattr("glossary.services.auth.PASSWORD_METHOD", "pbkdf2:sha256:1")


@pytest.fixture
def real_password_hashing() -> None:
    """Production's password hashing (scrypt) for this test; see cheap_password_hashing."""


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "instance"
    monkeypatch.setenv("GLOSSARY_INSTANCE_PATH", str(path))
    return path


class _TemplateCodeStore(dict):
    """The get/set client jinja2's MemcachedBytecodeCache asks for, in memory: every app the
    tests make compiles the same templates, so each template is compiled once a session."""

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self[key] = value


TEMPLATE_CODE = MemcachedBytecodeCache(_TemplateCodeStore())


@pytest.fixture
def make_app(instance: Path):
    """Makes apps on the database GLOSSARY_DATABASE_URL names when called (a second one stands
    for another gunicorn worker) and closes their pools at teardown, so no connection is left
    for the garbage collector to find during some later test."""
    made = []

    def make(**config: object):
        made.append(
            create_app(
                {
                    "TESTING": True,
                    "RATELIMIT_ENABLED": False,
                    "SESSION_COOKIE_SECURE": False,
                    "CORPUS_REINDEX": "inline",
                }
                | config
            )
        )
        made[-1].jinja_env.bytecode_cache = TEMPLATE_CODE
        return made[-1]

    yield make
    for app in made:
        # a background annotator rebuild (another "worker" wrote) holds a connection until done
        if (annotators := app.extensions.get("glossary.annotator")) is not None:  # None: a test broke it
            annotators.wait(timeout=60)
        app.extensions["glossary.annotate_pool"].close()  # its annotation processes, if any started
        leaked = db.engine(app).pool.checkedout()
        db.engine(app).dispose()
        assert leaked == 0, f"{leaked} database connection(s) still checked out: a session was not closed"


@pytest.fixture
def app(db_url: str, make_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A session of the test's own, outside any app context: requests made by the test client
    get theirs, so they never share a transaction (and its snapshot) with the test."""
    from sqlalchemy.orm import sessionmaker

    session = sessionmaker(db.engine(app), expire_on_commit=False)()
    yield session
    session.close()


def _token(app, name: str, scope: str) -> str:
    from glossary.services.auth import create_token

    with app.app_context():
        _, token = create_token(db.session, name, scope)
        db.session.commit()
    return token


@pytest.fixture
def write_token(app) -> str:
    return _token(app, "tests", "write")


@pytest.fixture
def read_token(app) -> str:
    return _token(app, "reader", "read")


@pytest.fixture
def seeded(app):
    """The app with the real seed glossary loaded: db_url gave it a copy of the seeded template."""
    return app


def needs_shared() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (seed documents and corpus) is absent")


# ---------------------------------------------------------------- markers
# `pytest -m "not slow"` is the quick loop. Tests are marked here, by name, rather than with a
# decorator each, so marking never touches the lines of the tests themselves; test_markers.py
# checks every name still names a test. Measured with --durations=0 (2 cores, under load): a test
# goes here when its call takes more than about 0.35 s (re-measured 2026-12-03 after the merges, two cores).
PG_ONLY = "needs a PostgreSQL server (GLOSSARY_TEST_DATABASE_URL)"
SLOW_MODULES = {
    "test_browser.py",
    "test_bootstrap.py",
    "test_lint.py",
    "test_annotate_languages.py",  # the seeded app and its annotator, for every test
    "test_search_phrases.py",
    "test_annotate_pool.py",  # each app starts an annotation process, which loads jieba's dictionary
    "test_annotator_store.py",  # glossary annotate against the seed, built and stored
    "test_bench_import.py",  # bench/import.py: three imports and drains, each from glossary init
}
SLOW_TESTS = {
    "test_renderings.py::test_mixed_english_and_chinese_gets_both",  # Chinese text: jieba's dictionary
    "test_renderings.py::test_nested_chinese_matches_stay_with_their_outer_match",
    "test_renderings.py::test_a_longer_rendering_replaces_a_shorter_chinese_match_and_ties_keep_chinese",
    "test_renderings.py::test_chinese_text_alone_is_annotated_as_before",
    "test_renderings.py::test_text_lang_chooses_the_language_and_zh_turns_renderings_off",
    "test_corpus_queue.py::test_an_edit_returns_before_its_reindex_and_reads_say_pending_until_a_drain",
    "test_corpus_queue.py::test_a_crash_between_commit_and_drain_is_recovered_by_the_next_process_start",
    "test_corpus_queue.py::test_a_web_worker_drains_in_a_background_thread_after_the_commit",
    "test_corpus_queue.py::test_a_deletion_is_queued_and_its_documents_re_read_by_the_drain",
    "test_corpus_queue.py::test_edits_that_cannot_change_the_index_queue_nothing",
    "test_corpus_queue.py::test_reindex_pending_and_a_cli_command_that_edits_drain_at_its_end",
    "test_corpus_queue.py::test_a_full_reindex_does_what_was_queued",
    "test_corpus_backup.py::test_a_backup_restores_the_same_documents_and_occurrences",
    "test_corpus_backup.py::test_the_cli_backs_up_to_a_file_and_restores_from_it",
    "test_corpus_backup.py::test_bad_backups_are_named_line_by_line_and_the_good_documents_restored",
    "test_corpus_aggregates.py::test_the_aggregates_follow_every_change_of_documents_and_counts",
    "test_term_page_budget.py::test_every_published_entrys_term_page_is_within_the_budget_with_the_default_corpus",
    "test_scaling_example.py::test_the_dask_example_indexes_like_the_service",
    "test_first_use_review.py::test_the_review_asks_once_per_scope_not_once_per_term_and_finds_the_same",
    "test_bulk_import.py::test_the_bulk_path_writes_what_the_per_term_path_writes",
    "test_bulk_import.py::test_a_bad_entry_in_the_middle_imports_nothing_and_is_named",
    "test_bulk_import.py::test_a_form_two_entries_share_is_refused_naming_the_second",
    "test_dictionary.py::test_buckets_hold_the_same_words_and_counts",
    "test_dictionary.py::test_a_lazy_segmenter_segments_as_jieba_does",
    "test_annotate_parity.py::test_the_command_line_answers_what_the_api_answers",
    "test_cli.py::test_annotate_opens_the_database_without_flask",
    "test_annotate_upload.py::test_a_file_longer_than_the_limits_is_refused_by_its_extracted_characters",
    "test_annotate_upload.py::test_each_format_is_annotated_on_the_page_without_javascript",
    "test_annotate_upload.py::test_uploads_are_charged_by_the_characters_read_not_the_bytes_sent",
    "test_feeds.py::test_changes_feed_has_new_and_changed_entries_and_no_draft",
    "test_share.py::test_an_editor_saves_and_anyone_reads_it_frozen",
    "test_alphabet.py::test_a_scan_of_the_code_finds_what_a_scan_of_the_text_finds",
    "test_alphabet.py::test_an_annotator_over_a_three_byte_alphabet_finds_the_same_terms",
    "test_annotate_engine.py::test_confidence_marks_short_matches",
    "test_annotate_engine.py::test_latin_edged_forms_only_on_latin_word_boundaries",
    "test_annotate_engine.py::test_mixed_scripts_and_english_around_terms",
    "test_annotate_engine.py::test_offsets_always_slice_the_submitted_text",
    "test_annotate_engine.py::test_planted_forms_are_found_with_exact_offsets",
    "test_annotate_engine.py::test_rejected_short_match_does_not_hide_a_longer_term",
    "test_annotate_engine.py::test_rejections_rescan_a_few_characters_not_the_rest_of_the_text",
    "test_annotate_engine.py::test_scan_over_a_dense_glossary_equals_brute_force",
    "test_annotate_engine.py::test_scan_with_rejections_equals_brute_force_leftmost_longest",
    "test_annotate_engine.py::test_short_term_inside_a_shorter_word_is_rejected",
    "test_annotate_engine.py::test_short_terms_only_on_word_boundaries",
    "test_annotate_engine.py::test_simplified_traditional_taiwan_and_hong_kong_forms",
    "test_annotate_engine.py::test_spaces_beside_latin_text_and_every_kind_of_break",
    "test_annotation_eval.py::test_precision_and_recall_on_real_documents_hold",
    "test_annotation_policy.py::test_a_derived_regional_form_is_script",
    "test_annotation_policy.py::test_api_annotate_and_lookup",
    "test_annotation_policy.py::test_cli_annotate_json_has_form_type",
    "test_annotation_policy.py::test_confirm_is_reported_low_and_not_linked_by_default",
    "test_annotation_policy.py::test_each_form_reports_its_type",
    "test_annotation_policy.py::test_every_seed_form_said_to_be_printed_in_the_corpus_is_printed_there",
    "test_annotation_policy.py::test_nested_matches_report_type_and_policy",
    "test_annotation_policy.py::test_never_is_not_matched_and_does_not_hide_other_terms",
    "test_annotation_policy.py::test_search_finds_an_entry_by_each_typed_form_and_never_entries",
    "test_annotation_policy.py::test_seed_annotates_variants_and_leaves_everyday_words",
    "test_annotation_policy.py::test_seed_policies_carry_their_reason",
    "test_annotation_policy.py::test_stored_and_given_back_as_glossary1",
    "test_annotation_policy.py::test_the_editor_keeps_what_it_has_no_field_for",
    "test_annotator_swap.py::test_another_worker_serves_the_previous_annotator_until_the_new_one_is_ready",
    "test_api_annotate.py::test_a_change_in_one_process_reaches_another",
    "test_api_annotate.py::test_request_bodies_are_limited_by_default",
    "test_api_contract.py::test_api_conforms_to_its_document",
    "test_api_contract.py::test_every_api_route_and_method_is_in_the_document",
    "test_api_contract.py::test_write_operations_with_a_write_token_conform_to_the_document",
    "test_api_corpus.py::test_a_document_with_its_text_and_the_matches_the_counts_are_made_of",
    "test_api_corpus.py::test_a_multipart_upload_reads_the_file_as_the_importer_does",
    "test_api_corpus.py::test_documents_filter_by_kind_and_year_and_page",
    "test_api_corpus.py::test_replies_with_real_data_fit_the_documented_schemas",
    "test_api_terms.py::test_cached_lookup_reflects_changes_from_another_process",
    "test_api_terms.py::test_if_none_match_compares_weakly_and_star_matches",
    "test_boundary.py::test_a_form_cut_out_of_a_longer_word_is_not_linked",
    "test_boundary.py::test_a_longer_glossary_form_covers_the_span",
    "test_boundary.py::test_forms_in_ordinary_sentences_stay_high",
    "test_cli.py::test_annotate_command",
    "test_cli.py::test_init_is_idempotent_and_says_so",
    "test_cli.py::test_serve_warms_the_annotator_and_jieba_before_the_workers_fork",
    "test_cli_corpus.py::test_import_list_reindex_and_remove",
    "test_corpus_candidates.py::test_the_editor_page_lists_candidates_and_makes_a_draft",
    "test_corpus_import.py::test_an_interrupted_import_leaves_no_part_of_a_document_and_the_next_run_completes_it",
    "test_corpus_import.py::test_bad_input_is_one_line_naming_manifest_line_and_file_and_changes_nothing_else",
    "test_corpus_import.py::test_documents_that_largely_overlap_are_flagged_whichever_comes_first",
    "test_corpus_import.py::test_one_file_is_imported_with_the_metadata_given",
    "test_corpus_import.py::test_the_corpus_shipped_in_the_repository_imports_cleanly",
    "test_corpus_queries.py::test_the_earliest_attestation_keeps_its_dates_precision_and_quotes_its_sentence",
    "test_corpus_queries.py::test_the_index_follows_term_creation_edits_unpublishing_and_deletion",
    "test_corpus_shared.py::test_stored_occurrences_agree_with_a_substring_count_every_difference_explained",
    "test_extract.py::test_additions_skip_what_the_term_has_and_what_they_repeat",
    "test_extract.py::test_cli_flags_known_terms_and_offers_new_glosses",
    "test_extract.py::test_extract_output_is_valid_glossary1",
    "test_extract.py::test_import_of_extract_output_keeps_edits_made_since",
    "test_extract.py::test_precision_and_recall_on_the_seed_documents",
    "test_extract.py::test_suggest_imports_the_ticked_candidates",
    "test_fairness.py::test_a_failed_large_annotation_gives_its_slot_back",
    "test_fairness.py::test_the_cap_holds_across_worker_processes_and_survives_kill_9",
    "test_fairness.py::test_large_annotations_beyond_the_cap_get_503_with_retry_after",
    "test_faults.py::test_export_then_import_replace_restores_an_identical_glossary",
    "test_faults.py::test_sigkill_during_import_leaves_all_or_nothing",
    "test_faults.py::test_two_first_writers_on_an_empty_database_both_raise_the_version",
    "test_formats_api.py::test_export_each_format",
    "test_formats_api.py::test_public_export_leaves_out_relations_to_drafts_and_imports_back",
    "test_formats_csv.py::test_bad_row_imports_nothing",
    "test_formats_csv.py::test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised_and_read_back",
    "test_formats_csv.py::test_csv_update_merges_into_the_existing_term",
    "test_formats_csv.py::test_imports_back_through_the_cli",
    "test_formats_csv.py::test_main_fields_survive_a_round_trip",
    "test_formats_csv.py::test_one_row_per_term_with_documented_columns",
    "test_formats_csv.py::test_reimport_keeps_what_csv_cannot_carry",
    "test_formats_json.py::test_export_to_stdout_matches_file",
    "test_formats_json.py::test_reimport_of_an_edited_export_updates_in_place",
    "test_formats_json.py::test_seed_round_trip_is_byte_identical",
    "test_formats_skos.py::test_output_is_stable",
    "test_formats_skos.py::test_reads_back_into_draft_terms",
    "test_formats_tbx.py::test_cli_imports_only_new_entries",
    "test_formats_tbx.py::test_cli_links_new_entries_to_terms_already_in_the_glossary",
    "test_formats_tbx.py::test_empty_glossary_is_refused_not_written_as_invalid_tbx",
    "test_formats_tbx.py::test_exports_of_the_seeded_glossary_are_valid_tbx_basic",
    "test_formats_tbx.py::test_own_export_reads_back_as_drafts",
    "test_formats_tbx.py::test_round_trip_keeps_every_field_tbx_basic_can_carry",
    "test_formats_tbx.py::test_seed_export_is_valid_tbx_basic",
    "test_formats_tbx.py::test_validators_accept_the_official_valid_example",
    "test_habits.py::test_no_dead_code",
    "test_hostile.py::test_html_and_sql_in_every_field_are_stored_verbatim_and_escaped",
    "test_hostile.py::test_import_of_random_terms_is_all_or_nothing",
    "test_hostile.py::test_one_hundred_thousand_matches",
    "test_hostile.py::test_two_million_character_single_line",
    "test_hostile.py::test_validation_never_crashes",
    "test_impostor_forms.py::test_api_refuses_an_impostor_of_an_existing_term",
    "test_keys.py::test_a_key_with_its_map_is_the_key",
    "test_keys.py::test_every_piece_of_a_key_maps_to_text_that_has_it",
    "test_migrations.py::test_models_and_migrations_do_not_drift",
    "test_migrations.py::test_upgrade_is_idempotent_and_downgrade_reverses",
    "test_pinyin.py::test_every_seed_entry_aligns_one_syllable_with_each_character",
    "test_ratelimit.py::test_storage_counts_windows_across_instances",
    "test_ratelimit.py::test_storage_loses_no_count_under_concurrent_hits",
    "test_ratelimit.py::test_storage_loses_no_count_when_worker_processes_race",
    "test_ratelimit.py::test_two_worker_processes_share_the_sign_in_limit",
    "test_search.py::test_a_traditional_query_is_shown_in_the_form_typed",
    "test_search.py::test_filters_and_drafts",
    "test_search.py::test_finds_wangluo_zhuquan_however_typed",
    "test_search.py::test_ranking_translation_prefix_and_preferred",
    "test_security.py::test_redis_rate_limit_storage_works_with_the_redis_extra",
    "test_security.py::test_secret_key_is_generated_into_instance_not_the_repository",
    "test_security.py::test_processes_starting_at_once_on_a_new_instance_folder_share_one_whole_key",
    "test_seed.py::test_every_seed_file_validates_against_the_schema",
    "test_seed.py::test_init_loads_every_published_entry",
    "test_senses.py::test_a_cue_after_the_match_lowers_it",
    "test_senses.py::test_a_cue_in_the_same_sentence_lowers_the_match",
    "test_senses.py::test_a_dated_sense_is_low_only_in_a_text_dated_before_it",
    "test_senses.py::test_a_short_form_quoted_whole_is_high",
    "test_senses.py::test_the_api_takes_the_text_date",
    "test_sessions.py::test_idle_sessions_expire",
    "test_source_groups.py::test_the_page_groups_by_kind_and_publisher_with_entry_counts",
    "test_term_characters.py::test_a_character_in_many_entries_lists_a_few_and_counts_the_rest",
    "test_term_characters.py::test_the_term_page_lists_characters_and_entries_containing_them",
    "test_text_is_pure.py::test_the_text_engine_imports_no_framework_and_no_other_layer",
    "test_web_annotate.py::test_the_real_seed_annotates_a_mixed_script_passage",
    "test_web_editor.py::test_creating_a_term_derives_forms_and_records_a_revision",
    "test_web_editor.py::test_drafts_are_visible_to_editors_only",
    "test_web_editor.py::test_restoring_a_deletion_explains_itself",
    "test_web_editor.py::test_restoring_an_older_revision_brings_its_content_back",
    "test_web_pages.py::test_all_user_supplied_text_is_escaped",
    "test_web_pages.py::test_search_finds_a_term_by_any_script_or_pinyin",
    "test_formats_tbx.py::test_a_large_file_is_read_entry_by_entry_not_held_as_one_tree",  # 16 MB of TBX
    "test_web_pages.py::test_term_page_links_related_terms_from_both_ends",
    "test_web_pages.py::test_term_page_sums_up_the_key_facts_at_the_top_and_cites_each_source_once",
    "test_migration_annotation_version.py::test_0012_starts_the_annotation_version_at_the_glossary_version",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks browser tests, tests that need PostgreSQL (they skip with PG_ONLY as the reason
    without it) and the tests named above `slow`; browser and PostgreSQL tests `browser` and
    `postgres` as well."""
    for item in items:
        module = item.path.name
        if module == "test_browser.py":
            item.add_marker(pytest.mark.browser)
        if any(mark.kwargs.get("reason") == PG_ONLY for mark in item.iter_markers("skipif")):
            item.add_marker(pytest.mark.postgres)
        name = getattr(item, "originalname", item.name)
        if (
            module in SLOW_MODULES
            or f"{module}::{name}" in SLOW_TESTS
            or item.get_closest_marker("browser")
            or item.get_closest_marker("postgres")
        ):
            item.add_marker(pytest.mark.slow)
