"""The routes a plan tab's records share when each is an htmx component (a risk's row, a
stakeholder or an activity of the communication plan, a benefit's card): add one, show
it, open its edit form in place, save it, delete it.

A tab describes one kind of record with a small `ChildViews` subclass: its URL, its
permission and its messages. The rest follows from names: the tab's `forms` module has
`<noun>_form(prefix, bound=)`, `edit_<noun>_form(record, bound=)` and
`<noun>_conflicts(form, current)`; its `operations` module `create_<noun>`, `update_<noun>`
and `delete_<noun>`; its `rendering` module a `Components` (how a record, its form and
the page with it render). `register(bp)` adds the five routes with the URLs and endpoints
the templates use:

| route                            | endpoint       | answers                                        |
|----------------------------------|----------------|------------------------------------------------|
| POST <rule>                      | create_<noun>  | the new component (htmx), or back to the tab   |
| GET  <rule>/<int:<noun>_id>      | show_<noun>    | the component (htmx "Avbryt"), or the tab at it |
| GET  <rule>/<int:<noun>_id>/edit | edit_<noun>    | the form in place of the component, or the page |
| POST <rule>/<int:<noun>_id>      | update_<noun>  | the component; 422 with the errors; 409 stale  |
| POST <rule>/<int:<noun>_id>/delete | delete_<noun> | what the deletion changes (htmx), or back     |

Every route loads (the project, then the record with `get_child_or_404`), checks the
project's permission (`can`, 403), calls one operation and renders. Without JavaScript
every form posts and is redirected back to the tab (303), or gets the whole page with the
form and its errors (422) or the values stored now (409).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import is_htmx
from app.plan.common import StaleEdit, get_child_or_404, load_project, require_edit
from app.plan.editing import done, resolve_person


def _nothing(project) -> str:
    return ""


@dataclass(frozen=True)
class Components:
    """How one kind of record renders (functions of its tab's rendering module)."""

    #: (project, record, *, notice="", changed=False): the record's component; `changed`
    #: adds what a saved change moves elsewhere (the risk matrix …), out of band
    component: Callable
    #: (project, form, record=None, *, conflict=None): the form alone, new or in place
    form: Callable
    #: (project, record, notice): after adding, an empty form and the new component
    added: Callable
    #: (project, status, *, new_form=None, edit=None): the whole tab, with a refused new
    #: form or with edit = (record, form, conflict)
    page: Callable
    #: (project): what an htmx deletion answers (what the removal changes elsewhere)
    deleted: Callable = _nothing


class ChildViews:
    """One kind of record of a tab. A subclass sets the class attributes below and says
    what the person is told (`created_message`, `deleted_message`)."""

    #: the tab's endpoint ("plan.risks"), the records' URL ("/risks"), the name in the
    #: endpoints and modules ("risk": create_risk, edit_risk_form …), the model, the
    #: component's id in the page ("risk-{}") and the Project permission ("can_edit_risks")
    tab: str
    rule: str
    noun: str
    model: type
    anchor: str
    can: str
    #: the prefix of the new record's form
    new_prefix = "new_"
    #: the form's people picker whose person the operations take (None: no picker)
    picker: str | None = None
    #: the tab's modules (see the module's docstring) and its rendering's Components
    forms: object
    operations: object
    components: Components

    @property
    def key(self) -> str:
        """The record's id in the URL ("risk_id")."""
        return f"{self.noun}_id"

    def created_message(self, record) -> str:
        raise NotImplementedError

    def deleted_message(self, values: dict) -> str:
        """`values`: the record as the history shows it (what delete_<noun> returns)."""
        raise NotImplementedError

    # --- what follows from the names ---------------------------------------------------------
    def new_form(self):
        return getattr(self.forms, f"{self.noun}_form")(self.new_prefix, bound=True)

    def edit_form(self, record, bound: bool):
        return getattr(self.forms, f"edit_{self.noun}_form")(record, bound=bound)

    def chosen(self, project, form) -> tuple[tuple, bool]:
        """The people the pickers chose, as the operations' extra arguments, and whether
        they resolved (False: the field shows its error)."""
        if self.picker is None:
            return (), True
        field = getattr(form, self.picker)
        return (resolve_person(field) if field.data else None,), not field.errors

    def _operation(self, verb: str) -> Callable:
        return getattr(self.operations, f"{verb}_{self.noun}")

    # --- the routes ----------------------------------------------------------------------------
    def _editable(self, project_id: int):
        project = load_project(project_id)
        require_edit(getattr(project, self.can)(current_user))
        return project

    def _back(self, message: str, project, record=None):
        """After a plain (non-htmx) POST: back to the tab, at the record."""
        return done(message, self.tab, anchor=self.anchor.format(record.id) if record is not None else "",
                    project_id=project.id)

    def create_view(self, project_id: int):
        project = self._editable(project_id)
        form = self.new_form()
        valid = form.validate()
        chosen, resolved = self.chosen(project, form)
        if not (valid and resolved):
            if is_htmx():
                return self.components.form(project, form), 422
            return self.components.page(project, 422, new_form=form)
        record = self._operation("create")(project, form, *chosen)
        message = self.created_message(record)
        if not is_htmx():
            return self._back(message, project, record)
        return self.components.added(project, record, message)

    def show_view(self, project_id: int, **ids):
        project = load_project(project_id)
        record = get_child_or_404(self.model, project, ids[self.key])
        if not is_htmx():
            return redirect(url_for(self.tab, project_id=project.id) + "#" + self.anchor.format(record.id))
        return self.components.component(project, record)

    def edit_view(self, project_id: int, **ids):
        project = self._editable(project_id)
        record = get_child_or_404(self.model, project, ids[self.key])
        form = self.edit_form(record, bound=False)
        if is_htmx():
            return self.components.form(project, form, record)
        return self.components.page(project, 200, edit=(record, form, None))

    def update_view(self, project_id: int, **ids):
        project = self._editable(project_id)
        record = get_child_or_404(self.model, project, ids[self.key])
        form = self.edit_form(record, bound=True)
        valid = form.validate()
        chosen, resolved = self.chosen(project, form)
        try:
            changes = self._operation("update")(project, record, form, *chosen, valid=valid and resolved)
        except StaleEdit as exc:  # someone else saved first: their values beside what was typed
            conflicts = getattr(self.forms, f"{self.noun}_conflicts")(form, exc.current)
            form.version.data = exc.current.version
            return self._refuse(load_project(project_id), exc.current, form, 409,
                                {"message": exc.message, "fields": conflicts})
        if changes is None:
            return self._refuse(project, record, form, 422)
        message = _("Endringene er lagret.") if changes else _("Ingen endringer å lagre.")
        if not is_htmx():
            return self._back(message, project, record)
        return self.components.component(project, record, notice=message, changed=bool(changes))

    def _refuse(self, project, record, form, status: int, conflict: dict | None = None):
        if is_htmx():
            return self.components.form(project, form, record, conflict=conflict), status
        return self.components.page(project, status, edit=(record, form, conflict))

    def delete_view(self, project_id: int, **ids):
        project = self._editable(project_id)
        values = self._operation("delete")(project, get_child_or_404(self.model, project, ids[self.key]))
        if not is_htmx():
            return self._back(self.deleted_message(values), project)
        return self.components.deleted(project)

    def register(self, bp) -> None:
        """Add the five routes to the blueprint (endpoints create_<noun>, show_<noun> …)."""
        one = f"{self.rule}/<int:{self.key}>"
        for rule, verb, method in ((self.rule, "create", "POST"), (one, "show", "GET"), (f"{one}/edit", "edit", "GET"),
                                   (one, "update", "POST"), (f"{one}/delete", "delete", "POST")):
            view = login_required(getattr(self, f"{verb}_view"))
            bp.add_url_rule(rule, f"{verb}_{self.noun}", view, methods=[method])
