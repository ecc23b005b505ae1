"""The small forms of the site as WTForms forms (the term editor's is in termform.py).

CSRF is checked for every unsafe request by the blueprint (see ``web/__init__.py``) before a
view reads its form, so these forms render the token with ``csrf_field()`` like the field-less
forms do; their own check (Flask-WTF's) then finds the request already validated.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Enter your editor name.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    next = HiddenField()
