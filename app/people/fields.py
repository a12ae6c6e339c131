"""The form side of the people picker: a field that carries the typed name and the
chosen username, and the helper that resolves it with Norwegian errors on the field."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.directory import DirectoryUnavailable
from app.models import User
from app.people.resolve import MAX_USERNAME, PersonNotResolved, resolve_person

#: the longest text the picker's input takes (a name with its unit in brackets)
MAX_TEXT = 300
#: the hidden input beside the picker that holds the chosen username
CHOSEN_SUFFIX = "-username"


class PersonField(StringField):
    """A people picker's value: `data` is what the input shows (a name, or a username typed
    by hand) and `chosen` the username picked from the list (hidden input
    `<name>-username`, filled by static/js/people-picker.js).

    `owners_only` makes the picker offer only people who may own projects.
    """

    def __init__(self, label=None, validators=None, *, owners_only: bool = False, **kwargs):
        validators = validators or [Optional(), Length(max=MAX_TEXT, message=_l(
            "Skriv høyst %(max)d tegn."))]
        kwargs.setdefault("filters", [lambda v: " ".join(v.split()) if isinstance(v, str) else v])
        kwargs.setdefault("render_kw", {"autocomplete": "off", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.owners_only = owners_only
        self.chosen = ""

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters=extra_filters)
        chosen = formdata.get(self.name + CHOSEN_SUFFIX, "") if formdata else ""
        chosen = chosen.strip() if isinstance(chosen, str) else ""
        self.chosen = chosen if len(chosen) <= MAX_USERNAME else ""


def resolve_field(field, *, required_message: str | None = None) -> User | None:
    """The person chosen in a picker field, or None with a Norwegian error on the field
    (nothing chosen and `required_message` given, unknown, ambiguous, or the directory
    down). What was typed stays in the field."""
    text = (field.data or "").strip()
    if not text:
        if required_message:
            field.errors = [*field.errors, required_message]
        return None
    if len(text) > MAX_TEXT:
        field.errors = [*field.errors, _("Fant ikke denne personen i brukerkatalogen.")]
        return None
    try:
        return resolve_person(text, getattr(field, "chosen", ""),
                              owners_only=getattr(field, "owners_only", False))
    except PersonNotResolved as exc:
        field.errors = [*field.errors, exc.message]
    except DirectoryUnavailable:
        field.errors = [*field.errors, _("Brukerkatalogen svarer ikke akkurat nå. Prøv igjen om litt.")]
    return None


def picker_value(field) -> dict:
    """What a picker shows: the text in the input, the chosen username in the hidden input,
    and the chosen person's title and unit under it.

    A posted form shows what was typed and chosen. A form filled from data holds a username
    (the default owner, the current manager …): it is shown as the person's name.
    """
    text = field.data if isinstance(field.data, str) else ""
    chosen = getattr(field, "chosen", "") if field.raw_data else ""
    user = None
    if chosen:
        user = _local_user(chosen)
    elif not field.raw_data and text and " " not in text:
        user = _local_user(text)
        if user is not None:
            text, chosen = user.display_name, user.username
    details = ", ".join(part for part in (user.title, user.unit) if part) if user else ""
    return {"text": text, "username": chosen, "details": details}


def _local_user(username: str) -> User | None:
    from app.extensions import db

    if not username or len(username) > MAX_USERNAME:
        return None
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
