"""Forms shared by every area, and the one place where a form learns what its columns hold."""
from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from app.limits import field_column, fits, is_limited


def one_newline(value):
    """A line break as one character: browsers send a textarea's breaks as CR LF, but count
    them as one against `maxlength`, so the form counts them as the browser did."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def strip(value):
    """The filter of a text field: what was typed without the spaces around it (None as "")."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class Filled:
    """WTForms validator: the field holds more than white space, else `message` beside it.

    Unlike DataRequired it leaves the input without the browser's `required`: the person
    may post the form half-filled and reads every missing field's Norwegian message at once."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not (field.data or "").strip():
            raise ValidationError(self.message)


class EmptyForm(FlaskForm):
    """A button-only POST (delete, sign out, mark as done) still carries the CSRF token.

    It is also the base of every form that fills a row: `fills` names the model, and each
    field named like one of its columns (or mapped in `fills_columns`) gets that column's
    limit when the form is made: `app.limits.fits` with a Norwegian message beside the
    field, and `maxlength` for the browser. The numbers are never written in the form.
    """

    #: the model whose row the form fills (None: the form stores nothing of its own)
    fills = None
    #: field name → `Model.attribute` where the names differ; None for a field that is
    #: not stored as typed (checked or looked up elsewhere: say where in a comment)
    fills_columns: dict = {}

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = options.get("filters", unbound_field.kwargs.get("filters", ()))
            options = {**options, "filters": [one_newline, *filters]}
            column = field_column(type(form), options["name"])
            if column is not None and is_limited(column):
                if len(unbound_field.args) > 1:
                    raise TypeError(f"{type(form).__name__}.{options['name']}: pass validators by keyword")
                validators = [*(unbound_field.kwargs.get("validators") or ()),
                              fits(column)]
                options = {**options, "validators": validators}
            return super().bind_field(form, unbound_field, options)

    @classmethod
    def valid_or_400(cls):
        """The posted form of a button-only POST, or 400: its only input is its CSRF token
        (and hidden fields the page wrote), so a form that does not validate is a forged
        or broken request, not something to show the person."""
        form = cls()
        if not form.validate_on_submit():
            abort(400)
        return form


__all__ = ["EmptyForm", "Filled", "one_newline", "strip"]
