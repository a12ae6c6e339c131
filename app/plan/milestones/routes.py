"""The milestones tab, /projects/<id>/milestones: number, description, responsible, due
date and done date; overdue ones stand out; a timeline drawn as SVG on the server."""
from __future__ import annotations

import re

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app import is_htmx
from app.audit import record
from app.audit.describe import DESCRIBERS
from app.extensions import db
from app.gates.facts import FACT_PROVIDERS
from app.models import Milestone
from app.notifications import handoffs
from app.plan import bp
from app.plan.common import StaleEdit, can_edit_plan, check_version, load_project, render_tab, require_edit
from app.plan.editing import (EmptyForm, NorwegianDateField, done, format_nok, last_change, person_field,
                              resolve_person, save, today)
from app.plan.plan.services import get_plan
from app.plan.timeline import SOON_DAYS, build, state_of

#: the fields a person edits, in the order of the form (for conflicts and the history)
FIELDS = ("number", "description", "responsible_username", "due_date", "done_date", "gate")
FIELD_LABELS = {"number": _l("nummer"), "description": _l("beskrivelse"),
                "responsible_username": _l("ansvarlig"), "due_date": _l("frist"),
                "done_date": _l("dato nådd"), "gate": _l("beslutningspunkt")}
#: the gates a milestone may plan ("" = an ordinary milestone)
GATE_CHOICES = [("", _l("Ingen")), *((f"BP{n}", f"BP{n}") for n in range(1, 7))]


# --- permissions ------------------------------------------------------------------------
def can_edit_milestones(project, user) -> bool:
    """The prosjektleder and prosjekteier (and administrators) keep the milestones."""
    return can_edit_plan(project, user)


# --- forms ------------------------------------------------------------------------------
class MilestoneForm(EmptyForm):
    number = StringField(_l("Nr."), filters=[lambda v: (v or "").strip()],
                         validators=[InputRequired(_l("Skriv et nummer, for eksempel M3.")),
                                     Length(max=10, message=_l("Nummeret kan være på høyst 10 tegn."))],
                         render_kw={"autocomplete": "off"})
    description = TextAreaField(
        _l("Milepæl"), filters=[lambda v: (v or "").strip()],
        description=_l("Skriv den som en tilstand: «Når … er …», for eksempel «Når dagens "
                       "arbeidsprosesser er kartlagt»."),
        validators=[InputRequired(_l("Beskriv milepælen.")),
                    Length(max=500, message=_l("Beskrivelsen kan være på høyst 500 tegn."))])
    responsible_username = person_field(_l("Ansvarlig"))
    due_date = NorwegianDateField(_l("Frist"), validators=[InputRequired(_l("Fyll inn fristen."))])
    done_date = NorwegianDateField(_l("Nådd dato"), validators=[Optional()],
                                   description=_l("Fylles ut når milepælen er nådd."))
    gate = SelectField(_l("Planlagt beslutningspunkt"), choices=GATE_CHOICES, validate_choice=True, default="",
                       coerce=lambda v: v or "",
                       description=_l("Velg et beslutningspunkt hvis milepælen er datoen dere planlegger "
                                      "å be om det. Da kommer den i kalenderen til prosjekteier, og "
                                      "personvernombudet får påminnelse om DPIA før BP3."))
    version = HiddenField()

    def validate_done_date(self, field):
        if field.data and field.data > today():
            raise ValidationError(_l("Datoen milepælen ble nådd, kan ikke være fram i tid."))


def _new_form(milestones) -> MilestoneForm:
    """An empty form for a new milestone, with the next number filled in."""
    form = MilestoneForm(prefix="new_", formdata=None)
    form.number.data = next_number(milestones)
    return form


class DoneForm(EmptyForm):
    """"Marker som nådd" carries the version the person saw."""

    version = HiddenField()


def _edit_form(m: Milestone | None = None, posted: bool = False) -> MilestoneForm:
    if posted:
        return MilestoneForm(prefix="edit_")
    form = MilestoneForm(prefix="edit_", formdata=None, obj=m)
    form.responsible_username.data = m.responsible.username if m.responsible else ""
    form.gate.data = m.gate or ""
    form.version.data = m.version
    return form


def next_number(milestones) -> str:
    """The next free "M<n>" after the highest one in use."""
    numbers = [int(x.group(1)) for m in milestones if (x := re.fullmatch(r"[Mm](\d+)", m.number))]
    taken = {m.number.lower() for m in milestones}
    n = max(numbers, default=len(milestones)) + 1
    while f"m{n}" in taken:
        n += 1
    return f"M{n}"


# --- reading -----------------------------------------------------------------------------
def milestones_of(project) -> list[Milestone]:
    return db.session.execute(
        db.select(Milestone).where(Milestone.project_id == project.id)
        .order_by(Milestone.due_date, Milestone.number)
    ).scalars().all()


def _milestone_or_404(project, milestone_id: int) -> Milestone:
    m = db.session.get(Milestone, milestone_id)
    if m is None or m.project_id != project.id:
        abort(404)
    return m


def _context(project, *, edit_id: int | None = None, forms: dict | None = None,
             conflict: dict | None = None, notice: str = "") -> dict:
    items = milestones_of(project)
    now = today()
    plan = get_plan(project)
    forms = dict(forms or {})
    forms.setdefault("new", _new_form(items))
    if edit_id is not None and "edit" not in forms:
        m = next((x for x in items if x.id == edit_id), None)
        if m is None:
            edit_id = None
        else:
            forms["edit"] = _edit_form(m)
    states = {m.id: state_of(m.due_date, m.done_date, now) for m in items}
    return dict(
        project=project, active_tab="milestones", milestones=items, states=states, today=now,
        timeline=build(items, now, plan.start_date if plan else None, plan.end_date if plan else None),
        counts={s: sum(1 for v in states.values() if v == s) for s in ("done", "overdue", "soon", "planned")},
        soon_days=SOON_DAYS, edit_id=edit_id, forms=forms, conflict=conflict or {}, notice=notice,
        can_edit=can_edit_milestones(project, current_user), format_nok=format_nok,
    )


def _render(project, status: int = 200, **kwargs):
    return render_tab("plan/milestones.html", "milestones_body", status, **_context(project, **kwargs))


def _saved(project, message: str, anchor: str = "milestones-table"):
    if is_htmx():
        return _render(project, notice=message)
    return done(message, "plan.milestones", anchor=anchor, project_id=project.id)


# --- views ---------------------------------------------------------------------------------
@bp.route("/milestones")
@login_required
def milestones(project_id: int):
    """The milestones as a timeline and a table; `?edit=<id>` opens one for editing."""
    project = load_project(project_id)
    edit = request.args.get("edit", type=int)
    if edit is not None and not can_edit_milestones(project, current_user):
        edit = None
    return _render(project, edit_id=edit)


def _check_fields(project, form, responsible_field, *, exclude_id: int | None = None):
    """Validation beyond the form: a known responsible person, a number not in use."""
    person = resolve_person(responsible_field)
    number = (form.number.data or "").lower()
    if number and any(m.number.lower() == number and m.id != exclude_id for m in milestones_of(project)):
        form.number.errors = [*form.number.errors, _("Nummeret %(n)s er allerede brukt.", n=form.number.data)]
    return person


def _changes(m: Milestone, form, person) -> dict:
    """What the form changes, as {field: new value} (for the audit record)."""
    new = {"number": form.number.data, "description": form.description.data,
           "responsible_username": person.username if person else "",
           "due_date": form.due_date.data, "done_date": form.done_date.data, "gate": form.gate.data or ""}
    old = {"number": m.number, "description": m.description,
           "responsible_username": m.responsible.username if m.responsible else "",
           "due_date": m.due_date, "done_date": m.done_date, "gate": m.gate or ""}
    return {k: v for k, v in new.items() if old[k] != v}


@bp.route("/milestones", methods=["POST"])
@login_required
def add_milestone(project_id: int):
    """Add a milestone."""
    project = load_project(project_id)
    require_edit(can_edit_milestones(project, current_user))
    form = MilestoneForm(prefix="new_")
    form.validate_on_submit()
    person = _check_fields(project, form, form.responsible_username)
    if form.errors:
        return _render(project, 422, forms={"new": form})
    m = Milestone(project_id=project.id, number=form.number.data, description=form.description.data,
                  responsible=person, due_date=form.due_date.data, done_date=form.done_date.data,
                  gate=form.gate.data or None)
    db.session.add(m)
    try:
        db.session.flush()
    except IntegrityError:  # the same number saved by someone else a moment ago
        db.session.rollback()
        form.number.errors = [_("Nummeret %(n)s er allerede brukt.", n=form.number.data)]
        return _render(load_project(project_id), 422, forms={"new": form})
    record("milestone.added", obj=m, project_id=project.id, number=m.number,
           description=m.description, due_date=m.due_date.isoformat())
    handoffs.milestone_assigned(m, project)
    return _saved(project, _("Milepæl %(n)s er lagt til.", n=m.number), f"milestone-{m.id}")


@bp.route("/milestones/<int:milestone_id>", methods=["POST"])
@login_required
def update_milestone(project_id: int, milestone_id: int):
    """Save a milestone edited in its row."""
    project = load_project(project_id)
    require_edit(can_edit_milestones(project, current_user))
    m = _milestone_or_404(project, milestone_id)
    form = _edit_form(posted=True)
    form.validate_on_submit()
    try:
        check_version(m, form.version.data)
    except StaleEdit as exc:
        return _stale(project, m, form, exc)
    person = _check_fields(project, form, form.responsible_username, exclude_id=m.id)
    if form.errors:
        return _render(project, 422, edit_id=m.id, forms={"edit": form})
    changes = _changes(m, form, person)
    if not changes:
        return _saved(project, _("Ingen endringer å lagre."), f"milestone-{m.id}")
    old_number = m.number
    m.number, m.description, m.responsible = form.number.data, form.description.data, person
    m.due_date, m.done_date, m.gate = form.due_date.data, form.done_date.data, form.gate.data or None
    try:
        save(m)
    except StaleEdit as exc:
        return _stale(project, exc.current, form, exc)
    except IntegrityError:
        db.session.rollback()
        form.number.errors = [_("Nummeret %(n)s er allerede brukt.", n=form.number.data)]
        return _render(load_project(project_id), 422, edit_id=milestone_id, forms={"edit": form})
    # A renamed milestone (M1 → M77) carries its old number too; `number` is always the new.
    record("milestone.updated", obj=m, project_id=project.id, number=m.number,
           fields=list(changes), **({"old_number": old_number} if "number" in changes else {}),
           **{k: (v.isoformat() if hasattr(v, "isoformat") else v)
              for k, v in changes.items() if k not in ("description", "number")})
    if "responsible_username" in changes:
        handoffs.milestone_assigned(m, project)
    return _saved(project, _("Milepæl %(n)s er lagret.", n=m.number), f"milestone-{m.id}")


def _stale(project, m: Milestone, form, exc: StaleEdit):
    """409: show what is stored now beside what the person typed, and let them save again."""
    current = {"number": m.number, "description": m.description,
               "responsible_username": m.responsible.display_name if m.responsible else "",
               "due_date": m.due_date, "done_date": m.done_date}
    typed_person = (form.responsible_username.data or "").strip()
    differs = {}
    for name, value in current.items():
        if name == "responsible_username":
            stored = m.responsible.username if m.responsible else ""
            if stored != typed_person:
                differs[name] = value
        elif (getattr(form, name).data or None) != (value or None):
            differs[name] = value
    form.version.data = m.version
    return _render(project, 409, edit_id=m.id, forms={"edit": form}, conflict={
        "id": m.id, "message": exc.message, "fields": differs, "by": last_change(m)})


@bp.route("/milestones/<int:milestone_id>/done", methods=["POST"])
@login_required
def mark_milestone_done(project_id: int, milestone_id: int):
    """"Marker som nådd": the milestone is reached today."""
    project = load_project(project_id)
    require_edit(can_edit_milestones(project, current_user))
    m = _milestone_or_404(project, milestone_id)
    form = DoneForm()
    form.validate_on_submit()
    try:
        check_version(m, form.version.data)
    except StaleEdit as exc:
        return _render(project, 409, conflict={"id": None, "message": exc.message, "fields": {},
                                               "by": last_change(m)})
    if m.done_date is not None:
        return _saved(project, _("Milepæl %(n)s er allerede nådd.", n=m.number), f"milestone-{m.id}")
    m.done_date = today()
    try:
        save(m)
    except StaleEdit as exc:
        return _render(load_project(project_id), 409, conflict={
            "id": None, "message": exc.message, "fields": {}, "by": last_change(exc.current)})
    record("milestone.done", obj=m, project_id=project.id, number=m.number,
           done_date=m.done_date.isoformat())
    return _saved(project, _("Milepæl %(n)s er markert som nådd.", n=m.number), f"milestone-{m.id}")


@bp.route("/milestones/<int:milestone_id>/delete", methods=["POST"])
@login_required
def delete_milestone(project_id: int, milestone_id: int):
    """Delete a milestone (the page asks for confirmation first)."""
    project = load_project(project_id)
    require_edit(can_edit_milestones(project, current_user))
    m = _milestone_or_404(project, milestone_id)
    EmptyForm().validate_on_submit()
    record("milestone.deleted", obj=m, project_id=project.id, number=m.number,
           description=m.description, due_date=m.due_date.isoformat())
    db.session.delete(m)
    db.session.flush()
    return _saved(project, _("Milepæl %(n)s er slettet.", n=m.number))


# --- gate facts and history --------------------------------------------------------------
def milestone_facts(project) -> dict:
    """BP3: the plan is broken into milestones."""
    count = db.session.execute(
        db.select(db.func.count(Milestone.id)).where(Milestone.project_id == project.id)).scalar()
    return {"milestone_count": count or 0}


FACT_PROVIDERS.append(milestone_facts)


def describe_milestone_event(event) -> str | None:
    """Norwegian sentences for the milestones tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    n = d.get("number", "")
    if event.action == "milestone.added":
        return _("%(who)s la til milepæl %(n)s «%(t)s».", who=who, n=n, t=d.get("description", ""))
    if event.action == "milestone.updated":
        names = ", ".join(str(FIELD_LABELS.get(f, f)) for f in d.get("fields", []))
        return _("%(who)s endret milepæl %(n)s (%(f)s).", who=who, n=n, f=names)
    if event.action == "milestone.done":
        return _("%(who)s markerte milepæl %(n)s som nådd.", who=who, n=n)
    if event.action == "milestone.deleted":
        return _("%(who)s slettet milepæl %(n)s «%(t)s».", who=who, n=n, t=d.get("description", ""))
    return None


DESCRIBERS.append(describe_milestone_event)
