"""The roles tab's form: one person for one role."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField

from app.forms import EmptyForm
from app.plan.editing import person_field


class PersonForm(EmptyForm):
    """One person for one role, chosen with the people picker. The form's prefix is the
    role, so that every role's picker on the page has its own ids."""

    username = person_field(_l("Person"))
    #: the project's version when the page was loaded (owner and manager only)
    version = HiddenField()


def role_form(role: str, formdata=None) -> PersonForm:
    """The form of `role`'s people picker (bound to the request unless `formdata` is None)."""
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = PersonForm(prefix=f"{role}_", **kwargs)
    form.username.owners_only = role == "owner"  # the picker offers only eligible owners
    return form
