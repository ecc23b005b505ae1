"""Names vulture reports as unused that are used by frameworks, by name, or from templates.

Regenerate candidates with `.venv/bin/vulture --make-whitelist`; add a name here only with the
reason it is not dead (tests/test_habits.py runs vulture with this file)."""

# Flask: view functions, request hooks, error handlers and blueprint setup, registered by their decorators
cors  # unused function (glossary/api/cors.py:13)
list_sources  # unused function (glossary/api/routes/catalogue.py:27)
get_source  # unused function (glossary/api/routes/catalogue.py:45)
health  # unused function (glossary/api/routes/catalogue.py:138)
openapi  # unused function (glossary/api/routes/catalogue.py:159)
docs_asset  # unused function (glossary/api/routes/catalogue.py:199)
create_term  # unused function (glossary/api/routes/terms.py:142)
replace_term  # unused function (glossary/api/routes/terms.py:180)
unwritable  # unused function (glossary/errors.py:76)
db_unavailable  # unused function (glossary/errors.py:103)
integrity_error  # unused function (glossary/errors.py:119)
reject_nul  # unused function (glossary/security.py:14)
_setup  # unused function (glossary/web/__init__.py:59)
_room_for_long_texts  # unused function (glossary/web/__init__.py:73)
_csrf  # unused function (glossary/web/__init__.py:84)
_private_when_signed_in  # unused function (glossary/web/__init__.py:93)
login  # unused function (glossary/web/auth.py:70)
logout  # unused function (glossary/web/auth.py:93)
new_term  # unused function (glossary/web/editor.py:68)
edit_term  # unused function (glossary/web/editor.py:78)
preview_forms  # unused function (glossary/web/editor.py:144)
browse_terms  # unused function (glossary/web/pages.py:76)
timeline  # unused function (glossary/web/timeline.py:101)

# Flask: attributes of the JSON provider and request class that Flask reads
_.ensure_ascii  # unused attribute (glossary/__init__.py:49)
_.sort_keys  # unused attribute (glossary/__init__.py:50)
_.max_form_memory_size  # unused attribute (glossary/web/__init__.py:81)

# Click commands, registered by their decorators, and Click's and gunicorn's hooks
import_command  # unused function (glossary/cli/corpus.py:73)
list_command  # unused function (glossary/cli/corpus.py:116)
remove_command  # unused function (glossary/cli/corpus.py:132)
reindex_command  # unused function (glossary/cli/corpus.py:147)
init  # unused function (glossary/cli/database.py:11)
extract  # unused function (glossary/cli/extract.py:21)
import_  # unused function (glossary/cli/interchange.py:23)
_.get_invalid_choice_message  # unused method (glossary/cli/params.py:13)
serve  # unused function (glossary/cli/serve.py:38)
_.load_config  # unused method (glossary/cli/serve.py:52)
create  # unused function (glossary/cli/token.py:17)
create  # unused function (glossary/cli/user.py:30)

# SQLAlchemy: event listeners, the connection's isolation level, the declarative base, the type decorator's hooks
on_connect  # unused function (glossary/extensions.py:19)
_.isolation_level  # unused attribute (glossary/extensions.py:21)
on_begin  # unused function (glossary/extensions.py:29)
metadata  # unused variable (glossary/models/base.py:21)
impl  # unused variable (glossary/models/base.py:31)
cache_ok  # unused variable (glossary/models/base.py:32)
_.process_bind_param  # unused method (glossary/models/base.py:34)
_.process_result_value  # unused method (glossary/models/base.py:42)

# SQLAlchemy: a relationship nobody navigates; the unit of work orders inserts by relationships, so it keeps a new
# source inserted before the term whose first use cites it
first_use_source  # unused variable (glossary/models/term.py:98)

# pydantic: model configuration and response fields, serialised by name
model_config  # unused variable (glossary/api/schemas/base.py:57)
model_config  # unused variable (glossary/api/schemas/base.py:105)
prev  # unused variable (glossary/api/schemas/base.py:126)
links  # unused variable (glossary/api/schemas/base.py:136)
links  # unused variable (glossary/api/schemas/changes.py:56)
database  # unused variable (glossary/api/schemas/export.py:23)
links  # unused variable (glossary/api/schemas/revisions.py:27)
matched  # unused variable (glossary/api/schemas/search.py:52)
links  # unused variable (glossary/api/schemas/search.py:63)
links  # unused variable (glossary/api/schemas/sources.py:23)
links  # unused variable (glossary/api/schemas/terms.py:50)

# WTForms: validate_<field> methods and field hooks it calls by name; invalid_fields is read by the editor template
_.validate_text  # unused method (glossary/web/forms.py:55)
_.process_data  # unused method (glossary/web/termform.py:206)
_.process_formdata  # unused method (glossary/web/termform.py:211)
_.pre_validate  # unused method (glossary/web/termform.py:215)
_._value  # unused method (glossary/web/termform.py:222)
_.validate_comment  # unused method (glossary/web/termform.py:283)
_.invalid_fields  # unused method (glossary/web/termform.py:367)

# read by templates: the timeline's points and the revision diff's segments
segments  # unused variable (glossary/services/revisions.py:49)
point  # unused variable (glossary/web/timeline.py:29)
cx  # unused variable (glossary/web/timeline.py:32)
label_x  # unused variable (glossary/web/timeline.py:34)
anchor  # unused variable (glossary/web/timeline.py:35)
height  # unused variable (glossary/web/timeline.py:42)

# the text engine's candidate record gives where its sentence starts, as it gives where the Chinese is (tests read it)
sentence_start  # unused variable (glossary/text/mining.py:49)

# corpus services the corpus API routes and pages call (tests cover them now)
import_upload  # unused function (glossary/services/corpus.py:273)
attestations  # unused function (glossary/services/corpus_queries.py:192)
trends  # unused function (glossary/services/corpus_queries.py:224)

# Corpus API (glossary/api/routes/corpus*.py): Flask views registered by their decorators, and
# pydantic response fields read by the generated OpenAPI document and by clients
create_document  # unused function
term_attestations  # unused function
trend_series  # unused function
compare_documents  # unused function
last_import  # unused variable
sense_checked  # unused variable
excerpt_start  # unused variable
corpus_documents  # unused variable
per_100k  # unused variable
earliest  # unused variable
selector  # unused variable

# Corpus web pages: views registered by their decorators, and what the chart template reads
term_corpus_csv  # unused function
term_concordance  # unused function
trends_csv  # unused function
concordance_href  # unused function (a template global)
colour  # unused variable (templates/_chart.html)
dash  # unused variable (templates/_chart.html)
max_documents  # unused variable (templates/_chart.html)

# Click commands registered by their decorators (token list/revoke, user disable)
list_  # unused function
revoke  # unused function
disable  # unused function
# The limits library's storage interface: registered by its STORAGE_SCHEME, called by flask-limiter
DatabaseStorage  # unused class
STORAGE_SCHEME  # unused variable
base_exceptions  # unused property
incr  # unused method
check  # unused method
reset  # unused method
# SQLAlchemy session events, registered by their decorators (services/annotation.py)
committed  # unused function
rolled_back  # unused function
# Flask reads session.permanent
permanent  # unused attribute
# The new-formulation watch: views and a Click command registered by their decorators, and the
# candidate fields read by JSON clients and templates/candidates.html
list_candidates  # unused function
candidates_page  # unused function
candidates_command  # unused function
first_date  # unused variable
earlier_occurrences  # unused variable
earlier_per_100k  # unused variable
recent_documents  # unused variable
# Research pages (web/research.py): views registered by their decorators, and a template global
phrase_href  # unused function
phrase_page  # unused function
compare_page  # unused function
# First-use review (web/review.py): a view registered by its decorator
first_use_review  # unused function
# read by templates/annotate.html (Jinja), which vulture does not scan
official_from  # unused variable
possible  # unused property
# API schema fields read by JSON clients (a deprecated rendering's flag), and Alembic's
# include_name hook, called from migrations/env.py (which vulture does not scan)
deprecated  # unused variable
modelled  # unused function
# Corpus backup commands (cli/corpus.py), registered by their decorators
export_command  # unused function
import_backup_command  # unused function
# The corpus re-index drainer (glossary/reindexer.py): a SQLAlchemy event listener registered by
# its decorator, and the thread's clean stop (tests, shutdown)
on_commit  # unused function
stop  # unused method

# Columns set by name from services/term_rows' dicts (setattr in terms._apply, Model(**row), bulk inserts)
first_use_locator  # unused variable (glossary/models/term.py:71)
first_use_note  # unused variable (glossary/models/term.py:72)
first_use_basis  # unused variable (glossary/models/term.py:73)
first_use_excerpt  # unused variable (glossary/models/term.py:75)
date_until  # unused variable (glossary/models/term.py:141)
translation  # unused variable (glossary/models/term.py:177, glossary/web/termform.py:145)
# read by jieba.Tokenizer.check_initialized: a lazy segmenter hands it a loaded dictionary (text/segment.py)
initialized  # unused attribute
# Annotator everywhere: feed, shared-annotation and upload views registered by their decorators
changes_feed  # unused function
formulations_feed  # unused function
shared_annotation  # unused function
share_annotation  # unused function
get_shared_annotation  # unused function
page_annotator  # unused function
tools_page  # unused function

# pickle: called by the Pickler and Unpickler for the stored annotator's segmenter reference
persistent_id  # unused method (glossary/services/annotator_store.py)
persistent_load  # unused method (glossary/services/annotator_store.py)
