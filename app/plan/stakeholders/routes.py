"""The stakeholders tab, /projects/<id>/stakeholders: the stakeholder analysis (with an
interest × influence grid) and the communication plan.

Stakeholders and activities are table row components (stakeholders_row.html,
stakeholders_activity_row.html, or their forms while edited) whose root owns its id; htmx
swaps the row, and the grid out of band when a stakeholder changes. Without JavaScript every
form posts and redirects back to the tab. The kommunikasjonsansvarlig edits this tab too.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, update
from sqlalchemy.orm import joinedload

from app import is_htmx
from app.audit import record
from app.extensions import db
from app.models import User
from app.models.stakeholder import (ACTIVITY_STATUSES, CHANNELS, LEVELS, CommunicationActivity, Stakeholder,
                                    approach)
from app.plan import bp
from app.concurrency import editing
from app.plan.common import StaleEdit, can_edit_plan, check_version, load_project, render_tab, require_edit
from app.plan.editing import done, resolve_person, save, shorten
from app.plan.stakeholders.forms import ActivityForm, StakeholderForm, activity_form, stakeholder_form

PAGE = "plan/stakeholders.html"
GRID = "plan/stakeholders_grid.html"
S_ROW = "plan/stakeholders_row.html"
S_FORM = "plan/stakeholders_form.html"
A_ROW = "plan/stakeholders_activity_row.html"
A_FORM = "plan/stakeholders_activity_form.html"

#: the ProjectMember role that may edit this tab besides the owner and the manager
EXTRA_ROLE = "communications"


# --- permissions: the same function guards the views and decides which buttons show --------
def can_edit_stakeholders(project, user) -> bool:
    """The prosjektleder, the prosjekteier, admins and the kommunikasjonsansvarlig."""
    return can_edit_plan(project, user, EXTRA_ROLE)


# --- loading ------------------------------------------------------------------------------------
def _stakeholders(project) -> list[Stakeholder]:
    return list(db.session.execute(
        db.select(Stakeholder).where(Stakeholder.project_id == project.id).order_by(
            Stakeholder.influence.desc(), Stakeholder.interest.desc(), Stakeholder.name)).scalars())


def _activities(project) -> list[CommunicationActivity]:
    return list(db.session.execute(
        db.select(CommunicationActivity).where(CommunicationActivity.project_id == project.id)
        .options(joinedload(CommunicationActivity.stakeholder), joinedload(CommunicationActivity.responsible))
        .order_by(CommunicationActivity.planned_on.asc().nulls_last(), CommunicationActivity.id)).scalars())


def _stakeholder_or_404(project, stakeholder_id: int) -> Stakeholder:
    s = db.session.get(Stakeholder, stakeholder_id)
    if s is None or s.project_id != project.id:
        abort(404)
    return s


def _activity_or_404(project, activity_id: int) -> CommunicationActivity:
    a = db.session.get(CommunicationActivity, activity_id)
    if a is None or a.project_id != project.id:
        abort(404)
    return a


# --- rendering ---------------------------------------------------------------------------------------
def _grid_context(stakeholders) -> dict:
    """The interest × influence grid: (influence, interest) → stakeholders."""
    cells = {(inf, i): [] for inf in LEVELS for i in LEVELS}
    for s in stakeholders:
        cells.setdefault((s.influence, s.interest), []).append(s)
    return dict(cells=cells, levels=LEVELS, approach=approach, names=sorted({s.name for s in stakeholders}))


def _chosen(username: str | None) -> str:
    username = (username or "").strip()
    if not username:
        return ""
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    return user.display_name if user else ""


def _labels() -> dict:
    return dict(levels=LEVELS, channels=CHANNELS, activity_statuses=ACTIVITY_STATUSES)


def _s_row_context(project, s, *, notice: str = "") -> dict:
    return dict(s=s, notice=notice, can_edit=can_edit_stakeholders(project, current_user))


def _a_row_context(project, a, *, notice: str = "") -> dict:
    return dict(a=a, notice=notice, can_edit=can_edit_stakeholders(project, current_user))


def _s_form_context(form, s=None, conflict=None) -> dict:
    return dict(form=form, s=s, conflict=conflict)


def _a_form_context(form, a=None, conflict=None) -> dict:
    return dict(form=form, a=a, conflict=conflict, chosen_responsible=_chosen(form.responsible_username.data))


def _new_activity_form(project) -> ActivityForm:
    form = activity_form("newa_")
    comms = project.members_with(EXTRA_ROLE)
    form.responsible_username.data = comms[0].username if comms else ""
    return form


def _edit_s_form(s: Stakeholder, bound: bool = False) -> StakeholderForm:
    form = stakeholder_form(f"s{s.id}_", bound=bound)
    if not bound:
        form.name.data, form.notes.data = s.name, s.notes
        form.interest.data, form.influence.data = str(s.interest), str(s.influence)
        form.version.data = s.version
    return form


def _edit_a_form(a: CommunicationActivity, bound: bool = False) -> ActivityForm:
    form = activity_form(f"a{a.id}_", bound=bound)
    if not bound:
        form.what.data, form.audience.data = a.what, a.audience_label
        form.channel.data, form.planned_on.data, form.status.data = a.channel, a.planned_on, a.status
        form.responsible_username.data = a.responsible.username if a.responsible else ""
        form.version.data = a.version
    return form


def _page(project, status: int = 200, *, new_s=None, new_a=None, s_edits=None, a_edits=None):
    """The whole tab (a plain request, or a refused form without JavaScript)."""
    stakeholders = _stakeholders(project)
    activities = _activities(project)
    s_by_id = {s.id: s for s in stakeholders}
    a_by_id = {a.id: a for a in activities}
    ctx = dict(
        project=project, active_tab="stakeholders", stakeholders=stakeholders, activities=activities,
        s_rows={s.id: _s_row_context(project, s) for s in stakeholders},
        a_rows={a.id: _a_row_context(project, a) for a in activities},
        s_edits={sid: _s_form_context(f, s_by_id.get(sid), c) for sid, (f, c) in (s_edits or {}).items()},
        a_edits={aid: _a_form_context(f, a_by_id.get(aid), c) for aid, (f, c) in (a_edits or {}).items()},
        new_sf=_s_form_context(new_s or stakeholder_form("news_")),
        new_af=_a_form_context(new_a or _new_activity_form(project)),
        can_edit=can_edit_stakeholders(project, current_user),
        grid=_grid_context(stakeholders), oob=False, **_labels(),
    )
    return render_tab(PAGE, None, status, **ctx)


def _render(template: str, project, **ctx) -> str:
    return render_template(template, project=project, **_labels(), **ctx)


def _grid_oob(project) -> str:
    """The grid, swapped out of band. Wrapped in <template> because it often follows a table
    row, and HTML parses a <section> after a <tr> into something else entirely."""
    return f"<template>{_render(GRID, project, grid=_grid_context(_stakeholders(project)), oob=True)}</template>"


# --- the tab ------------------------------------------------------------------------------------------
@bp.route("/stakeholders")
@login_required
def stakeholders(project_id: int):
    """The stakeholder analysis and the communication plan."""
    project = load_project(project_id)
    return _page(project)


# --- stakeholders ---------------------------------------------------------------------------------------
@bp.route("/stakeholders", methods=["POST"])
@login_required
def create_stakeholder(project_id: int):
    """Add a stakeholder."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    form = stakeholder_form("news_", bound=True)
    if not form.validate():
        if is_htmx():
            return _render(S_FORM, project, sf=_s_form_context(form)), 422
        return _page(project, 422, new_s=form)
    s = Stakeholder(project_id=project.id)
    _apply_stakeholder(s, form)
    db.session.add(s)
    db.session.flush()
    record("stakeholder.created", obj=s, project_id=project.id, **_s_values(s))
    message = _("Interessenten er lagt til.")
    if not is_htmx():
        return done(message, "plan.stakeholders", anchor=f"stakeholder-{s.id}", project_id=project.id)
    row = _render(S_ROW, project, row=_s_row_context(project, s, notice=message))
    return (_render(S_FORM, project, sf=_s_form_context(stakeholder_form("news_")))
            + f'<template><tbody hx-swap-oob="beforeend:#stakeholder-rows">{row}</tbody></template>'
            + _grid_oob(project))


@bp.route("/stakeholders/<int:stakeholder_id>")
@login_required
def show_stakeholder(project_id: int, stakeholder_id: int):
    """One stakeholder's row (htmx: "Avbryt"); a full page goes to the tab."""
    project = load_project(project_id)
    s = _stakeholder_or_404(project, stakeholder_id)
    if not is_htmx():
        return redirect(url_for("plan.stakeholders", project_id=project.id) + f"#stakeholder-{s.id}")
    return _render(S_ROW, project, row=_s_row_context(project, s))


@bp.route("/stakeholders/<int:stakeholder_id>/edit")
@login_required
def edit_stakeholder(project_id: int, stakeholder_id: int):
    """The stakeholder's edit form in place of its row."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    s = _stakeholder_or_404(project, stakeholder_id)
    form = _edit_s_form(s)
    if is_htmx():
        return _render(S_FORM, project, sf=_s_form_context(form, s))
    return _page(project, s_edits={s.id: (form, None)})


@bp.route("/stakeholders/<int:stakeholder_id>", methods=["POST"])
@login_required
def update_stakeholder(project_id: int, stakeholder_id: int):
    """Save a changed stakeholder; a save based on an older version is refused (409)."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    s = _stakeholder_or_404(project, stakeholder_id)
    form = _edit_s_form(s, bound=True)
    valid = form.validate()

    def refuse(status, conflict=None):
        if is_htmx():
            return _render(S_FORM, project, sf=_s_form_context(form, s, conflict)), status
        return _page(project, status, s_edits={s.id: (form, conflict)})

    try:
        with editing(s, form.version.data):
            if not valid:
                return refuse(422)
            before = _s_values(s)
            _apply_stakeholder(s, form)
            after = _s_values(s)
            changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    except StaleEdit as exc:
        s = exc.current
        form.version.data = s.version
        return refuse(409, {"message": exc.message, "fields": _s_conflicting(form, s)})
    if changes:
        record("stakeholder.updated", obj=s, project_id=project.id, name=s.name, changes=changes)
        message = _("Endringene er lagret.")
    else:
        message = _("Ingen endringer å lagre.")
    if not is_htmx():
        return done(message, "plan.stakeholders", anchor=f"stakeholder-{s.id}", project_id=project.id)
    return _render(S_ROW, project, row=_s_row_context(project, s, notice=message)) + (
        _grid_oob(project) if changes else "")


@bp.route("/stakeholders/<int:stakeholder_id>/delete", methods=["POST"])
@login_required
def delete_stakeholder(project_id: int, stakeholder_id: int):
    """Delete a stakeholder (asked for confirmation in the page). Activities addressed to
    them keep the name as typed text."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    s = _stakeholder_or_404(project, stakeholder_id)
    values = _s_values(s)
    # Done here, not left to ON DELETE SET NULL: SQLite does not enforce foreign keys.
    db.session.execute(
        update(CommunicationActivity).where(CommunicationActivity.stakeholder_id == s.id)
        .values(stakeholder_id=None, audience=s.name[:200]).execution_options(synchronize_session="fetch"))
    db.session.delete(s)
    db.session.flush()
    record("stakeholder.deleted", obj=s, project_id=project.id, **values)
    if not is_htmx():
        return done(_("Interessenten «%(n)s» er slettet.", n=values["name"]), "plan.stakeholders",
                    project_id=project.id)
    return _grid_oob(project)


# --- the communication plan ------------------------------------------------------------------------------
@bp.route("/stakeholders/activities", methods=["POST"])
@login_required
def create_activity(project_id: int):
    """Add an activity to the communication plan."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    form = activity_form("newa_", bound=True)
    valid = form.validate()
    person = resolve_person(form.responsible_username) if form.responsible_username.data else None
    if not valid or form.responsible_username.errors:
        if is_htmx():
            return _render(A_FORM, project, af=_a_form_context(form)), 422
        return _page(project, 422, new_a=form)
    a = CommunicationActivity(project_id=project.id)
    _apply_activity(project, a, form, person)
    db.session.add(a)
    db.session.flush()
    record("communication.created", obj=a, project_id=project.id, **_a_values(a))
    message = _("Aktiviteten er lagt til i kommunikasjonsplanen.")
    if not is_htmx():
        return done(message, "plan.stakeholders", anchor=f"activity-{a.id}", project_id=project.id)
    row = _render(A_ROW, project, row=_a_row_context(project, a, notice=message))
    return (_render(A_FORM, project, af=_a_form_context(_new_activity_form(project)))
            + f'<template><tbody hx-swap-oob="beforeend:#activity-rows">{row}</tbody></template>')


@bp.route("/stakeholders/activities/<int:activity_id>")
@login_required
def show_activity(project_id: int, activity_id: int):
    """One activity's row (htmx: "Avbryt"); a full page goes to the tab."""
    project = load_project(project_id)
    a = _activity_or_404(project, activity_id)
    if not is_htmx():
        return redirect(url_for("plan.stakeholders", project_id=project.id) + f"#activity-{a.id}")
    return _render(A_ROW, project, row=_a_row_context(project, a))


@bp.route("/stakeholders/activities/<int:activity_id>/edit")
@login_required
def edit_activity(project_id: int, activity_id: int):
    """The activity's edit form in place of its row."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    a = _activity_or_404(project, activity_id)
    form = _edit_a_form(a)
    if is_htmx():
        return _render(A_FORM, project, af=_a_form_context(form, a))
    return _page(project, a_edits={a.id: (form, None)})


@bp.route("/stakeholders/activities/<int:activity_id>", methods=["POST"])
@login_required
def update_activity(project_id: int, activity_id: int):
    """Save a changed activity; a save based on an older version is refused (409)."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    a = _activity_or_404(project, activity_id)
    form = _edit_a_form(a, bound=True)
    valid = form.validate()
    person = resolve_person(form.responsible_username) if form.responsible_username.data else None

    def refuse(status, conflict=None):
        if is_htmx():
            return _render(A_FORM, project, af=_a_form_context(form, a, conflict)), status
        return _page(project, status, a_edits={a.id: (form, conflict)})

    try:
        with editing(a, form.version.data):
            if not valid or form.responsible_username.errors:
                return refuse(422)
            before = _a_values(a)
            _apply_activity(project, a, form, person)
            after = _a_values(a)
            changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    except StaleEdit as exc:
        a = exc.current
        form.version.data = a.version
        return refuse(409, {"message": exc.message, "fields": _a_conflicting(form, a)})
    if changes:
        record("communication.updated", obj=a, project_id=project.id, what=a.what, changes=changes)
        message = _("Endringene er lagret.")
    else:
        message = _("Ingen endringer å lagre.")
    if not is_htmx():
        return done(message, "plan.stakeholders", anchor=f"activity-{a.id}", project_id=project.id)
    return _render(A_ROW, project, row=_a_row_context(project, a, notice=message))


@bp.route("/stakeholders/activities/<int:activity_id>/delete", methods=["POST"])
@login_required
def delete_activity(project_id: int, activity_id: int):
    """Delete an activity (asked for confirmation in the page)."""
    project = load_project(project_id)
    require_edit(can_edit_stakeholders(project, current_user))
    a = _activity_or_404(project, activity_id)
    values = _a_values(a)
    db.session.delete(a)
    db.session.flush()
    record("communication.deleted", obj=a, project_id=project.id, **values)
    if not is_htmx():
        return done(_("Aktiviteten «%(w)s» er slettet.", w=values["what"]), "plan.stakeholders",
                    project_id=project.id)
    return ""


# --- helpers -------------------------------------------------------------------------------------------------
def _apply_stakeholder(s: Stakeholder, form: StakeholderForm) -> None:
    s.name = form.name.data.strip()
    s.interest = StakeholderForm.level(form.interest)
    s.influence = StakeholderForm.level(form.influence)
    s.notes = (form.notes.data or "").strip()


def _apply_activity(project, a: CommunicationActivity, form: ActivityForm, person) -> None:
    a.what = form.what.data.strip()
    audience = form.audience.data.strip()
    # "To whom" names a stakeholder when it matches one; otherwise it is a free text.
    a.stakeholder = db.session.execute(
        db.select(Stakeholder).where(Stakeholder.project_id == project.id,
                                     func.lower(Stakeholder.name) == audience.lower()).limit(1)
    ).scalar_one_or_none()
    a.audience = audience
    a.channel = form.channel.data
    a.planned_on = form.planned_on.data
    a.responsible = person
    a.status = form.status.data


def _s_values(s: Stakeholder) -> dict:
    return dict(name=s.name, interest=s.interest, influence=s.influence, notes=shorten(s.notes))


def _a_values(a: CommunicationActivity) -> dict:
    return dict(what=a.what, audience=a.audience_label, channel=a.channel,
                planned_on=a.planned_on.isoformat() if a.planned_on else "",
                responsible=a.responsible.display_name if a.responsible else "", status=a.status)


def _s_conflicting(form: StakeholderForm, s: Stakeholder) -> list[tuple[str, str]]:
    out = []
    stored = {"name": (s.name, s.name), "interest": (str(s.interest), _(LEVELS.get(s.interest, ""))),
              "influence": (str(s.influence), _(LEVELS.get(s.influence, ""))), "notes": (s.notes, s.notes)}
    for name, (value, shown) in stored.items():
        if (getattr(form, name).data or "").strip() != (value or "").strip():
            out.append((str(getattr(form, name).label.text), shown or _("(tomt)")))
    return out


def _a_conflicting(form: ActivityForm, a: CommunicationActivity) -> list[tuple[str, str]]:
    out = []
    stored = {
        "what": (a.what, a.what), "audience": (a.audience_label, a.audience_label),
        "channel": (a.channel, _(CHANNELS.get(a.channel, a.channel))),
        "planned_on": (a.planned_on, a.planned_on.strftime("%d.%m.%Y") if a.planned_on else ""),
        "responsible_username": (a.responsible.username if a.responsible else "",
                                 a.responsible.display_name if a.responsible else ""),
        "status": (a.status, _(ACTIVITY_STATUSES.get(a.status, a.status))),
    }
    for name, (value, shown) in stored.items():
        typed = getattr(form, name).data
        typed = typed.strip() if isinstance(typed, str) else typed
        value = value.strip() if isinstance(value, str) else value
        if (typed or None) != (value or None):
            out.append((str(getattr(form, name).label.text), shown or _("(tomt)")))
    return out
