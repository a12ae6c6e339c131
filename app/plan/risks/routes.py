"""The risks tab, /projects/<id>/risks: risks and opportunities, the 5×5 matrix and the
ITPOSMO assessment.

Each risk is a table row component (templates/plan/risks_row.html, or risks_form.html
while edited) whose root owns its id; htmx swaps that row and updates the matrix out of
band. Without JavaScript every form posts and redirects back to the tab.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import is_htmx
from app.audit import record
from app.extensions import db
from app.models import User
from app.models.risk import (ITPOSMO_DIMENSIONS, ITPOSMO_DIMENSION_LIMIT, ITPOSMO_MAX, ITPOSMO_TOTAL_LIMIT,
                             LEVEL_LABELS, RISK_KINDS, RISK_STATUSES, RISK_STRATEGIES, SCALE,
                             ItposmoAssessment, Risk, score_level)
from app.plan import bp
from app.concurrency import editing
from app.plan.common import StaleEdit, can_edit_plan, check_version, load_project, render_tab, require_edit
from app.plan.editing import done, resolve_person, save, shorten
from app.plan.risks.forms import (CONSEQUENCE_LABELS, PROBABILITY_LABELS, RiskForm, itposmo_form,
                                  risk_form)

PAGE = "plan/risks.html"
ROW = "plan/risks_row.html"
FORM = "plan/risks_form.html"
MATRIX = "plan/risks_matrix.html"
ITPOSMO = "plan/risks_itposmo.html"


# --- permissions: the same function guards the views and decides which buttons show --------
def can_edit_risks(project, user) -> bool:
    """The prosjektleder, the prosjekteier and admins keep the risk register and ITPOSMO."""
    return can_edit_plan(project, user)


# --- loading ------------------------------------------------------------------------------------
def _risks(project) -> list[Risk]:
    """All the project's risks and opportunities, highest score first."""
    return list(db.session.execute(
        db.select(Risk).where(Risk.project_id == project.id).options(joinedload(Risk.responsible))
        .order_by(Risk.score.desc(), Risk.id)).scalars())


def _risk_or_404(project, risk_id: int) -> Risk:
    risk = db.session.get(Risk, risk_id)
    if risk is None or risk.project_id != project.id:
        abort(404)
    return risk


def _itposmo(project) -> ItposmoAssessment | None:
    return db.session.execute(
        db.select(ItposmoAssessment).where(ItposmoAssessment.project_id == project.id)).scalar_one_or_none()


def _cell_filter() -> tuple[int, int] | None:
    """The matrix cell chosen with ?p=4&c=5, or None (anything else is ignored)."""
    p, c = request.args.get("p", ""), request.args.get("c", "")
    if p in {"1", "2", "3", "4", "5"} and c in {"1", "2", "3", "4", "5"}:
        return int(p), int(c)
    return None


# --- the matrix -------------------------------------------------------------------------------------
def matrix(risks: list[Risk]) -> dict[tuple[int, int], int]:
    """(probability, consequence) → number of open risks (opportunities are not counted)."""
    counts = {(p, c): 0 for p in SCALE for c in SCALE}
    for r in risks:
        if r.kind == "risk" and r.status == "open" and (r.probability, r.consequence) in counts:
            counts[(r.probability, r.consequence)] += 1
    return counts


def _matrix_context(project, risks, cell=None) -> dict:
    return dict(counts=matrix(risks), cell=cell, level_of=score_level, level_labels=LEVEL_LABELS,
                probability_labels=PROBABILITY_LABELS, consequence_labels=CONSEQUENCE_LABELS,
                open_risks=sum(1 for r in risks if r.kind == "risk" and r.status == "open"),
                open_opportunities=sum(1 for r in risks if r.kind == "opportunity" and r.status == "open"))


# --- rendering ---------------------------------------------------------------------------------------
def _labels() -> dict:
    return dict(kinds=RISK_KINDS, strategies=RISK_STRATEGIES, statuses=RISK_STATUSES,
                level_labels=LEVEL_LABELS)


def _row_context(project, risk, *, notice: str = "") -> dict:
    return dict(r=risk, notice=notice, can_edit=can_edit_risks(project, current_user))


def _form_context(project, form, risk=None, *, conflict=None) -> dict:
    username = (form.responsible_username.data or "").strip()
    chosen = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none() \
        if username else None
    return dict(form=form, r=risk, conflict=conflict, chosen_responsible=chosen.display_name if chosen else "")


def _itposmo_context(project, *, form=None, editing: bool = False, conflict=None, notice: str = "") -> dict:
    assessment = _itposmo(project)
    if form is None and editing:
        form = _itposmo_edit_form(assessment)
    scores = assessment.scores() if assessment else {}
    return dict(
        a=assessment, form=form, editing=editing or form is not None, conflict=conflict, notice=notice,
        dimensions=ITPOSMO_DIMENSIONS, scores=scores, max_score=ITPOSMO_MAX,
        total_limit=ITPOSMO_TOTAL_LIMIT, dimension_limit=ITPOSMO_DIMENSION_LIMIT,
        can_edit=can_edit_risks(project, current_user), join_and=join_and,
    )


def join_and(items) -> str:
    """["A", "B", "C"] → "A, B og C"."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _("og") + " " + items[-1]


def _new_form() -> RiskForm:
    return risk_form("new_")


def _edit_form(risk: Risk, bound: bool = False) -> RiskForm:
    form = risk_form(f"r{risk.id}_", bound=bound)
    if not bound:
        form.kind.data = risk.kind
        form.description.data = risk.description
        form.probability.data = str(risk.probability)
        form.consequence.data = str(risk.consequence)
        form.strategy.data = risk.strategy
        form.action.data = risk.action
        form.responsible_username.data = risk.responsible.username if risk.responsible else ""
        form.status.data = risk.status
        form.probability_after.data = str(risk.probability_after or "")
        form.consequence_after.data = str(risk.consequence_after or "")
        form.version.data = risk.version
    return form


def _itposmo_edit_form(assessment: ItposmoAssessment | None):
    form = itposmo_form()
    if assessment is not None:
        for code in ITPOSMO_DIMENSIONS:
            getattr(form, code).data = getattr(assessment, code)
            getattr(form, f"{code}_comment").data = getattr(assessment, f"{code}_comment")
        form.version.data = assessment.version
    else:
        form.version.data = 0
    return form


def _page(project, status: int = 200, *, new_form=None, edits: dict | None = None,
          conflicts: dict | None = None, itposmo: dict | None = None):
    """The whole tab (a plain request, or a refused form without JavaScript)."""
    risks = _risks(project)
    cell = _cell_filter()
    by_id = {r.id: r for r in risks}
    listed = [r for r in risks if r.kind == "risk" and r.status == "open"
              and (r.probability, r.consequence) == cell] if cell else risks
    edits = edits or {}
    ctx = dict(
        project=project, active_tab="risks", cell=cell,
        open_items=[r for r in listed if r.status == "open"],
        closed_items=[r for r in listed if r.status != "open"],
        rows={r.id: _row_context(project, r) for r in risks},
        edits={rid: _form_context(project, f, by_id.get(rid), conflict=(conflicts or {}).get(rid))
               for rid, f in edits.items()},
        new_ef=_form_context(project, new_form or _new_form()),
        can_edit=can_edit_risks(project, current_user),
        mx=_matrix_context(project, risks, cell), it=itposmo or _itposmo_context(project), oob=False,
        **_labels(),
    )
    return render_tab(PAGE, None, status, **ctx)


def _render_row(project, risk, **kwargs) -> str:
    return render_template(ROW, project=project, row=_row_context(project, risk, **kwargs), **_labels())


def _render_form(project, form, risk=None, **kwargs) -> str:
    return render_template(FORM, project=project, ef=_form_context(project, form, risk, **kwargs), **_labels())


def _render_matrix_oob(project) -> str:
    """The matrix, swapped out of band. Wrapped in <template> because it often follows a
    table row, and HTML parses a <section> after a <tr> into something else entirely."""
    html = render_template(MATRIX, project=project, mx=_matrix_context(project, _risks(project)), oob=True)
    return f"<template>{html}</template>"


def _render_itposmo(project, **kwargs) -> str:
    return render_template(ITPOSMO, project=project, it=_itposmo_context(project, **kwargs))


# --- the tab ------------------------------------------------------------------------------------------
@bp.route("/risks")
@login_required
def risks(project_id: int):
    """The risk matrix, the register sorted by score, and the ITPOSMO assessment.
    ?p=4&c=5 lists only the open risks in that cell of the matrix."""
    project = load_project(project_id)
    return _page(project)


@bp.route("/risks", methods=["POST"])
@login_required
def create_risk(project_id: int):
    """Add a risk or an opportunity."""
    project = load_project(project_id)
    require_edit(can_edit_risks(project, current_user))
    form = risk_form("new_", bound=True)
    valid = form.validate()
    person = resolve_person(form.responsible_username) if form.responsible_username.data else None
    if not valid or form.responsible_username.errors:
        if is_htmx():
            return _render_form(project, form), 422
        return _page(project, 422, new_form=form)
    risk = Risk(project_id=project.id)
    _apply(risk, form, person)
    db.session.add(risk)
    db.session.flush()
    record("risk.created", obj=risk, project_id=project.id, **_audit_values(risk))
    message = _("Risikoen er lagt til.") if risk.kind == "risk" else _("Muligheten er lagt til.")
    if not is_htmx():
        return done(message, "plan.risks", anchor=f"risk-{risk.id}", project_id=project.id)
    target = "#risk-rows-open" if risk.status == "open" else "#risk-rows-closed"
    row = _render_row(project, risk, notice=message)
    return (_render_form(project, _new_form())
            + f'<template><tbody hx-swap-oob="afterbegin:{target}">{row}</tbody></template>'
            + _render_matrix_oob(project))


@bp.route("/risks/<int:risk_id>")
@login_required
def show_risk(project_id: int, risk_id: int):
    """One row of the register (htmx: "Avbryt" in the edit form); a full page goes to the tab."""
    project = load_project(project_id)
    risk = _risk_or_404(project, risk_id)
    if not is_htmx():
        return redirect(url_for("plan.risks", project_id=project.id) + f"#risk-{risk.id}")
    return _render_row(project, risk)


@bp.route("/risks/<int:risk_id>/edit")
@login_required
def edit_risk(project_id: int, risk_id: int):
    """The risk's edit form in place of its row."""
    project = load_project(project_id)
    require_edit(can_edit_risks(project, current_user))
    risk = _risk_or_404(project, risk_id)
    form = _edit_form(risk)
    if is_htmx():
        return _render_form(project, form, risk)
    return _page(project, edits={risk.id: form})


@bp.route("/risks/<int:risk_id>", methods=["POST"])
@login_required
def update_risk(project_id: int, risk_id: int):
    """Save a changed risk; a save based on an older version is refused (409)."""
    project = load_project(project_id)
    require_edit(can_edit_risks(project, current_user))
    risk = _risk_or_404(project, risk_id)
    form = _edit_form(risk, bound=True)
    valid = form.validate()
    person = resolve_person(form.responsible_username) if form.responsible_username.data else None
    try:
        with editing(risk, form.version.data):
            if not valid or form.responsible_username.errors:
                return _refuse(project, risk, form, 422)
            before = _audit_values(risk)
            _apply(risk, form, person)
            after = _audit_values(risk)
            changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    except StaleEdit as exc:
        conflict = {"message": exc.message, "fields": _conflicting(form, exc.current)}
        form.version.data = exc.current.version
        return _refuse(load_project(project_id), exc.current, form, 409, conflict)
    if changes:
        record("risk.updated", obj=risk, project_id=project.id, description=after["description"],
               kind=risk.kind, changes=changes)
        message = _("Endringene er lagret.")
    else:
        message = _("Ingen endringer å lagre.")
    if not is_htmx():
        return done(message, "plan.risks", anchor=f"risk-{risk.id}", project_id=project.id)
    return _render_row(project, risk, notice=message) + (_render_matrix_oob(project) if changes else "")


def _refuse(project, risk, form, status: int, conflict: dict | None = None):
    if is_htmx():
        return _render_form(project, form, risk, conflict=conflict), status
    return _page(project, status, edits={risk.id: form}, conflicts={risk.id: conflict} if conflict else None)


@bp.route("/risks/<int:risk_id>/delete", methods=["POST"])
@login_required
def delete_risk(project_id: int, risk_id: int):
    """Delete a risk (asked for confirmation in the page)."""
    project = load_project(project_id)
    require_edit(can_edit_risks(project, current_user))
    risk = _risk_or_404(project, risk_id)
    values = _audit_values(risk)
    db.session.delete(risk)
    db.session.flush()
    record("risk.deleted", obj=risk, project_id=project.id, **values)
    if not is_htmx():
        return done(_("«%(d)s» er slettet.", d=values["description"]), "plan.risks", project_id=project.id)
    return _render_matrix_oob(project)


# --- ITPOSMO ------------------------------------------------------------------------------------------
@bp.route("/risks/itposmo")
@login_required
def show_itposmo(project_id: int):
    """The ITPOSMO card (htmx: "Avbryt"); a full page goes to the tab."""
    project = load_project(project_id)
    if not is_htmx():
        return redirect(url_for("plan.risks", project_id=project.id) + "#itposmo")
    return _render_itposmo(project)


@bp.route("/risks/itposmo/edit")
@login_required
def edit_itposmo(project_id: int):
    """The ITPOSMO form in place of the card."""
    project = load_project(project_id)
    require_edit(can_edit_risks(project, current_user))
    if is_htmx():
        return _render_itposmo(project, editing=True)
    return _page(project, itposmo=_itposmo_context(project, editing=True))


@bp.route("/risks/itposmo", methods=["POST"])
@login_required
def save_itposmo(project_id: int):
    """Save the seven ITPOSMO scores and comments (the first save creates the assessment)."""
    project = load_project(project_id)
    require_edit(can_edit_risks(project, current_user))
    assessment = _itposmo(project)
    form = itposmo_form(bound=True)
    valid = form.validate()

    def refuse(status, conflict=None):
        if is_htmx():
            return _render_itposmo(project, form=form, conflict=conflict), status
        return _page(project, status, itposmo=_itposmo_context(project, form=form, conflict=conflict))

    # Version 0 in the form: the person started from no assessment at all.
    try:
        if assessment is not None:
            check_version(assessment, form.version.data)
        elif str(form.version.data or "0") != "0":
            abort(400)
    except StaleEdit as exc:
        form.version.data = assessment.version
        return refuse(409, {"message": exc.message, "fields": _itposmo_differences(form, assessment)})
    if not valid:
        return refuse(422)
    created = assessment is None
    if created:
        assessment = ItposmoAssessment(project_id=project.id)
        db.session.add(assessment)
    before = assessment.scores() if not created else {}
    for code in ITPOSMO_DIMENSIONS:
        setattr(assessment, code, getattr(form, code).data)
        setattr(assessment, f"{code}_comment", (getattr(form, f"{code}_comment").data or "").strip())
    assessment.updated_by = current_user._get_current_object()
    try:
        save(assessment)
    except (StaleEdit, IntegrityError):  # changed, or created, by someone else a moment ago
        db.session.rollback()
        current = _itposmo(load_project(project_id))
        form.version.data = current.version if current else 0
        return refuse(409, {"message": StaleEdit(current).message, "fields": _itposmo_differences(form, current)})
    record("itposmo.saved", obj=assessment, project_id=project.id, total=assessment.total,
           scores=assessment.scores(), before=before, warning=assessment.needs_warning)
    message = _("ITPOSMO-vurderingen er lagret.")
    if not is_htmx():
        return done(message, "plan.risks", anchor="itposmo", project_id=project.id)
    return _render_itposmo(project, notice=message)


# --- helpers -------------------------------------------------------------------------------------------
def _itposmo_differences(form, assessment) -> list[tuple[str, str]]:
    """(dimension, what is stored now) where it differs from what was typed."""
    fields = []
    for code, (name, _h) in ITPOSMO_DIMENSIONS.items() if assessment is not None else ():
        score, comment = getattr(assessment, code), getattr(assessment, code + "_comment")
        typed_comment = (getattr(form, code + "_comment").data or "").strip()
        if getattr(form, code).data != score or typed_comment != comment:
            fields.append((_(name), f"{score} – {comment or '–'}"))
    return fields


def _apply(risk: Risk, form: RiskForm, person) -> None:
    risk.kind = form.kind.data
    risk.description = form.description.data.strip()
    risk.probability = RiskForm.scale_value(form.probability)
    risk.consequence = RiskForm.scale_value(form.consequence)
    risk.strategy = form.strategy.data or ""
    risk.action = (form.action.data or "").strip()
    risk.responsible = person
    risk.status = form.status.data
    risk.probability_after = RiskForm.scale_value(form.probability_after)
    risk.consequence_after = RiskForm.scale_value(form.consequence_after)


def _audit_values(risk: Risk) -> dict:
    """The risk as the history shows it."""
    return dict(
        description=shorten(risk.description), kind=risk.kind, probability=risk.probability,
        consequence=risk.consequence, score=risk.score, strategy=risk.strategy, risk_action=shorten(risk.action),
        responsible=risk.responsible.display_name if risk.responsible else "", status=risk.status,
        probability_after=risk.probability_after, consequence_after=risk.consequence_after,
    )


def _conflicting(form: RiskForm, risk: Risk) -> list[tuple[str, str]]:
    """(label, what is stored now) for each field that differs from what was typed."""
    stored = {
        "kind": (risk.kind, _(RISK_KINDS.get(risk.kind, risk.kind))),
        "description": (risk.description, risk.description),
        "probability": (str(risk.probability), str(risk.probability)),
        "consequence": (str(risk.consequence), str(risk.consequence)),
        "strategy": (risk.strategy, _(RISK_STRATEGIES.get(risk.strategy, "")) if risk.strategy else ""),
        "action": (risk.action, risk.action),
        "responsible_username": (risk.responsible.username if risk.responsible else "",
                                 risk.responsible.display_name if risk.responsible else ""),
        "status": (risk.status, _(RISK_STATUSES.get(risk.status, risk.status))),
        "probability_after": (str(risk.probability_after or ""), str(risk.probability_after or "")),
        "consequence_after": (str(risk.consequence_after or ""), str(risk.consequence_after or "")),
    }
    out = []
    for name, (value, shown) in stored.items():
        typed = (getattr(form, name).data or "")
        typed = typed.strip() if isinstance(typed, str) else str(typed)
        if typed != (value or "").strip():
            out.append((str(getattr(form, name).label.text), shown or _("(tomt)")))
    return out
