"""The gate page /projects/<id>/gates/BP<n> and its three actions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block, render_blocks
from werkzeug.exceptions import Conflict

from app import is_htmx
from app.errors import render_kept_form
from app.gates import bp
from app.gates.checklist import ChecklistRefused, answer_items, seen_digest, typed_answers
from app.gates.forms import ANSWER_CHOICES, DecisionForm, RequestGateForm, owner_answers_from
from app.gates.services import (GateInputError, answers_for, checklist_for, decide, request_gate,
                                require_open_request)
from app.projects.access import get_project_or_404
from app.workflow import DECISIONS, RULES, Action, Gate, Stage, decision_items, request_items


def _gate_or_404(code: str) -> Gate:
    try:
        return Gate.parse(code)
    except ValueError:
        abort(404)


def _require_current_gate(project, gate: Gate) -> None:
    """Phases are never skipped: only the gate out of the current stage can be acted on
    (409 for any other, before or after)."""
    if project.stage != gate.from_stage.value:
        abort(409, _("Prosjektet står ikke foran %(gate)s nå.", gate=gate.value))


def _require_role(project, action: Action) -> None:
    """403 unless the person holds a role that may take `action` in this stage.

    Only the role is checked here; whether the project's state allows it now (an open
    request, a locked checklist) is the service's answer, a 409 and not a 403.
    """
    permitted = RULES[Stage(project.stage)].get(action)
    if permitted is None:
        abort(409, _("Dette kan ikke gjøres i denne fasen."))
    if not project.workflow_roles(current_user) & permitted:
        abort(403)


def _context(project, gate, **forms):
    answers = answers_for(project, gate)
    checklist = checklist_for(project, gate, answers)
    requests = [r for r in project.gate_requests if r.gate == gate.value]
    open_req = project.open_request if (project.open_request and project.open_request.gate == gate.value) else None
    decision_form = forms.get("decision_form") or DecisionForm()
    if open_req is not None and not forms.get("decision_form"):
        decision_form.request_id.data = open_req.id
        decision_form.request_version.data = open_req.version
    return dict(
        project=project, gate=gate, checklist=checklist, answers=answers, requests=requests,
        open_request=open_req,
        is_current=project.stage == gate.from_stage.value,
        request_form=forms.get("request_form") or RequestGateForm(),
        decision_form=decision_form,
        answer_errors=forms.get("answer_errors", {}),
        answer_conflicts=forms.get("answer_conflicts", set()),
        answer_values=forms.get("answer_values", {}),
        saved_message=forms.get("saved_message", ""),
        answer_choices=ANSWER_CHOICES, seen_digest=seen_digest,
        owner_items=decision_items(gate),
        owner_answers=forms.get("owner_answers", {}),
        owner_errors=forms.get("owner_errors", {}),
        active_tab="gates",
    )


@bp.route("/<gate_code>")
@login_required
def show_gate(project_id: int, gate_code: str):
    """The gate's question, checklist, requests and decisions."""
    project = get_project_or_404(project_id)
    gate = _gate_or_404(gate_code)
    return render_template("gates/show.html", **_context(project, gate))


@bp.route("/<gate_code>/checklist", methods=["POST"])
@login_required
def answer_checklist(project_id: int, gate_code: str):
    """Save the checklist's hand answers in one go (Ja / Nei / Ikke relevant, a comment
    unless Ja): the items the person changed are written, or none of them."""
    project = get_project_or_404(project_id)
    gate = _gate_or_404(gate_code)
    if any(f"answer-{i.key}" in request.form for i in decision_items(gate)):
        abort(409, _("Dette spørsmålet besvarer prosjekteier når hun eller han tar beslutningen."))
    _require_current_gate(project, gate)
    _require_role(project, Action.ANSWER_CHECKLIST)
    typed = typed_answers(request.form, request_items(gate))
    try:
        saved = answer_items(project, gate, typed, current_user)
    except ChecklistRefused as exc:
        # Beside each item, with everything typed still in the form.
        ctx = _context(project, gate, answer_errors=exc.errors, answer_conflicts=exc.conflicts,
                       answer_values={k: (t.value, t.comment) for k, t in typed.items() if t.touched})
        if is_htmx():
            return render_block("gates/show.html", "checklist", **ctx), exc.status
        return render_template("gates/show.html", **ctx), exc.status
    message = (ngettext("%(num)s svar er lagret.", "%(num)s svar er lagret.", len(saved)) if saved
               else _("Ingen svar er endret."))
    if is_htmx():
        # The checklist, and "Be om godkjenning" out of band: the answers may have made a
        # request possible (or impossible) without the page being reloaded.
        return render_blocks("gates/show.html", ["checklist", "request_section"], oob=True,
                             **_context(project, gate, saved_message=message))
    flash(message, "success")
    return redirect(url_for("gates.show_gate", project_id=project.id, gate_code=gate.value) + "#checklist")


@bp.route("/<gate_code>/request", methods=["POST"])
@login_required
def request_approval(project_id: int, gate_code: str):
    """"Be om godkjenning"."""
    project = get_project_or_404(project_id)
    gate = _gate_or_404(gate_code)
    _require_current_gate(project, gate)
    # A second click while the first request is open is a 409 (from the service), not a 403.
    _require_role(project, Action.REQUEST_GATE)
    form = RequestGateForm()
    if not form.validate_on_submit():
        return render_template("gates/show.html", **_context(project, gate, request_form=form)), 422
    try:
        request_gate(project, gate, form.summary.data, current_user)
    except GateInputError as exc:
        form.summary.errors = [*form.summary.errors]
        flash(exc.message, "error")
        return render_template("gates/show.html", **_context(project, gate, request_form=form)), 422
    flash(_("Forespørselen er sendt til prosjekteier."), "success")
    return redirect(url_for("gates.show_gate", project_id=project.id, gate_code=gate.value))


@bp.route("/<gate_code>/decide", methods=["POST"])
@login_required
def decide_gate(project_id: int, gate_code: str):
    """The owner's decision: Godkjenn, Avvis, Send tilbake or Utsett, with the owner's
    answers to the gate's own questions (BP1)."""
    project = get_project_or_404(project_id)
    gate = _gate_or_404(gate_code)
    if not project.is_decider(current_user):
        abort(403)
    form = DecisionForm()
    answers = owner_answers_from(request.form, decision_items(gate))
    try:
        if not form.validate_on_submit() or form.decision.data not in DECISIONS:
            # A form for a request decided meanwhile is a conflict, whatever else is wrong in it.
            require_open_request(project, gate, None if form.request_id.errors else form.request_id.data)
            if form.decision.data not in DECISIONS:
                form.decision.errors = [_("Velg en beslutning.")]
            return _refused_decision(project, gate, form, answers)
        decide(project, gate, form.decision.data, current_user, comment=form.comment.data or "",
               postpone_until=form.postpone_until.data, request_id=form.request_id.data,
               request_version=form.request_version.data, confirm_owner=form.confirm_owner.data,
               manager_username=form.manager_username.data, manager_chosen=form.manager_username.chosen,
               answers=answers)
    except GateInputError as exc:
        target = getattr(form, exc.field, None) if exc.field else None
        if target is not None:
            target.errors = [*target.errors, exc.message]
        elif not exc.errors:
            form.decision.errors = [*form.decision.errors, exc.message]
        return _refused_decision(project, gate, form, answers, exc.errors)
    except Conflict as exc:
        # Decided meanwhile (another tab, the other server): what was decided, and what
        # this owner wrote, kept to copy.
        return render_kept_form(409, exc.description)
    flash(_("Beslutningen er registrert."), "success")
    return redirect(url_for("projects.show_project", project_id=project.id))


def _refused_decision(project, gate, form, answers, errors=None):
    """The gate page again with the decision form as it was typed and the errors beside
    the fields (422)."""
    return render_template("gates/show.html", **_context(
        project, gate, decision_form=form, owner_answers=answers, owner_errors=errors or {})), 422
