"""The small forms of the site as WTForms forms (the term editor's is in termform.py).

CSRF is checked for every unsafe request by the blueprint (see ``web/__init__.py``) before a
view reads its form, so these forms render the token with ``csrf_field()`` like the field-less
forms do; their own check (Flask-WTF's) then finds the request already validated.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, StopValidation, ValidationError

from ..formats import encoding_problem
from ..formats.glossary1 import unstorable_strings


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Enter your editor name.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    next = HiddenField()


def _no_nul(form: FlaskForm, field: Field) -> None:
    """PostgreSQL cannot even look up a string with a NUL in it: refuse it, naming the field."""
    if isinstance(field.data, str) and (bad := unstorable_strings(field.data, field.name)):
        raise StopValidation(f"The field {field.name} {bad[0]['message']}; nothing was read.")


class SuggestForm(FlaskForm):
    """“Suggest from a document”: the text (pasted or a file), where its excerpts are cited, and
    the ticked candidates (``pick``, read with getlist: they are whatever the analysis listed)."""

    text = TextAreaField("Text", validators=[_no_nul])
    file = FileField("Or a UTF-8 text file")
    name = HiddenField(validators=[_no_nul])
    source_id = SelectField("Cite an existing source", choices=[], validate_choice=False, validators=[_no_nul])
    title = StringField("Title of the new source", filters=[_strip], validators=[_no_nul])
    names = BooleanField("include names of people")

    def __init__(self, sources: list[tuple[str, str]], limit: int, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.source_id.choices = [("", "— a new source for this document —")] + [
            (id_, f"{id_}: {title[:77] + '...' if len(title) > 80 else title}") for id_, title in sources
        ]
        self.limit = limit
        self.document = ""  # the text read, once validated
        self.document_name = ""

    def validate_text(self, field: Field) -> None:
        """The document's text and name, from the upload if there is one, else the text box."""
        upload = self.file.data
        if upload and upload.filename:
            raw = upload.read()
            if (problem := encoding_problem(raw)) is not None:
                raise ValidationError(f"{upload.filename}: {problem}.")
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = raw.count(b"\n", 0, exc.start) + 1
                raise ValidationError(f"{upload.filename} is not UTF-8 text (line {line}); save it as UTF-8.") from None
            self.document, self.document_name = text, upload.filename
        else:
            self.document, self.document_name = field.data or "", self.name.data or "pasted text"
        if not self.document.strip():
            raise ValidationError("Paste a text or choose a file first.")
        if len(self.document) > self.limit:
            count = len(self.document)
            self.document = ""
            if upload is None or not upload.filename:
                field.data = ""
            raise ValidationError(
                f"The text has {count:,} characters; the limit is {self.limit:,}. Suggest from it in parts."
            )
