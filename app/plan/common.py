"""What every plan tab shares: loading the project and its children, safe concurrent
edits, the tab page frame."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from app import is_htmx
from app.concurrency import StaleEdit, check_version, editing  # noqa: F401 - the tabs import them here
from app.extensions import db
from app.models.plan_permissions import CLOSED_STAGES  # noqa: F401 - other areas import it here
from app.projects.access import get_project_or_404

#: the largest id a database integer column holds; larger ids in a URL are simply missing
MAX_ID = 2**31 - 1


def load_project(project_id: int):
    """The project for a tab view (404 when missing or hidden)."""
    return get_project_or_404(project_id)


def get_child_or_404(model, parent, child_id: int, *options, parent_key: str = "project_id"):
    """The `model` row `child_id` that belongs to `parent` (a risk of a project, a
    measurement of a benefit with `parent_key="benefit_id"` …), loaded with `options`; a
    missing id, another parent's id and an id beyond a database integer (which must not
    reach the driver) all answer 404."""
    if not 0 < child_id <= MAX_ID:
        abort(404)
    child = db.session.execute(
        select(model).where(model.id == child_id, getattr(model, parent_key) == parent.id).options(*options)
    ).scalar_one_or_none()
    if child is None:
        abort(404)
    return child


def children_of(parent, model, *order_by, options=(), parent_key: str = "project_id") -> list:
    """All the `model` rows that belong to `parent` (a project's risks …) in `order_by`
    order, loaded with `options`: the list beside `get_child_or_404`'s one row."""
    return list(db.session.execute(
        select(model).where(getattr(model, parent_key) == parent.id).options(*options).order_by(*order_by)
    ).scalars())


def count_of(parent, model, *where, parent_key: str = "project_id") -> int:
    """How many `model` rows belong to `parent` and meet the conditions `where` (what a
    gate fact counts: a project's milestones, its assessed risks …)."""
    return db.session.execute(
        select(func.count(model.id)).where(getattr(model, parent_key) == parent.id, *where)).scalar_one()


def render_tab(template: str, block: str | None = None, status: int = 200, **context):
    """The whole tab page, or just `block` for an htmx request."""
    context.setdefault("project", context.get("project"))
    if block and is_htmx():
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def require_edit(allowed: bool) -> None:
    """403 unless the model's `can_<verb>(user)` said yes."""
    if not allowed:
        abort(403)


def editable_project(project_id: int, can: str):
    """The project (404 when missing or hidden), when its permission `can`
    ("can_edit_plan" …) lets the signed-in person in (403 otherwise)."""
    project = load_project(project_id)
    require_edit(getattr(project, can)(current_user))
    return project


def delete_child(project_id: int, model, child_id: int, can: str, delete):
    """A plain "Slett" (the page asked first): the project with its permission `can`
    (403), its `model` row `child_id` (404), then `delete(project, row)`. Returns both, for
    the answer."""
    from app.forms import EmptyForm

    project = editable_project(project_id, can)
    child = get_child_or_404(model, project, child_id)
    EmptyForm().validate_on_submit()
    delete(project, child)
    return project, child


def editable_child(project_id: int, load_child, child_id: int, can: str):
    """The project and its child `load_child(project, child_id)` (404 for either), then the
    project's permission `can` for the signed-in person (403): a person who may not edit
    still gets 404 for a record that is not there."""
    project = load_project(project_id)
    child = load_child(project, child_id)
    require_edit(getattr(project, can)(current_user))
    return project, child


def render_swap(main: str | None = None, *, added: str | None = None, into: str = "",
                where: str = "beforeend", tag: str = "tbody", also: str | None = None, **context) -> str:
    """An htmx answer of components (templates/plan/_swap.html): `main` swapped in place,
    `added` (a new row or card) added out of band `where` in `into`, and `also`, a
    component rendered with `oob=True` that swaps itself out of band."""
    return render_template("plan/_swap.html", main_template=main, added_template=added, oob_target=into,
                           oob_where=where, oob_tag=tag, also_template=also, oob=also is not None, **context)


def apply_edit(obj, version, apply, values, *, valid: bool) -> dict | None:
    """Change `obj` with `apply(obj)` when the form was `valid` and loaded at `version`.

    Returns the changes as {field: [before, after]} of `values(obj)` (empty: nothing
    changed), or None when the form was not valid (nothing written); raises StaleEdit
    (with the record as it is now) when someone else saved it first."""
    with editing(obj, version):
        if not valid:
            return None
        before = values(obj)
        apply(obj)
        after = values(obj)
        return {k: [before[k], after[k]] for k in after if before[k] != after[k]}
