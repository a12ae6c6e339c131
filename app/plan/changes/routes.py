"""The changes tab: /projects/<id>/changes, one card per change request.

Every route loads (`get_child_or_404`), checks the project's `can_<verb>(user)`, calls
one operation (operations.py) and renders. Each card (templates/plan/changes/_item.html) is an htmx component: it owns its id and
swaps itself. Proposing re-renders the tab's panel. Without JavaScript every form posts
and redirects back to the tab.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import Conflict

from app import is_htmx
from app.plan import bp
from app.plan.changes.forms import ChangeDecisionForm, ChangeRequestForm, with_ids
from sqlalchemy.orm import joinedload

from app.concurrency import submitted_version
from app.models.change_request import ChangeRequest
from app.plan.changes.operations import decide, delete_change, propose, refuse_if_decided, update_change
from app.plan.changes.queries import STATUS_LABELS, changes_for, describe_decided, summary
from app.plan.cards import edit_card
from app.plan.editing import answer
from app.plan.common import editable_child, editable_project, get_child_or_404, load_project, render_tab
from app.workflow.i18n import N_

TAB = "plan.changes"
PAGE = "plan/changes/tab.html"
CARD = "plan/changes/_item.html"

#: field → label, for showing what someone else changed meanwhile
FIELD_LABELS = {"title": N_("Kort navn på endringen"), "description": N_("Hva skal endres?"),
                "reason": N_("Hvorfor trengs endringen?"), "scope_effect": N_("Virkning på omfang og leveranser"),
                "time_effect": N_("Virkning på tid"), "cost_effect": N_("Virkning på kostnad"),
                "benefits_effect": N_("Virkning på gevinster")}


#: the labels every template of the tab reads
LABELS = dict(status_labels=STATUS_LABELS, field_labels=FIELD_LABELS)


def _page(project, status: int = 200, *, new_form=None, states: dict | None = None,
          notice: str = "", block: str | None = "changes_panel", show_new: bool = False):
    """The tab, or only its panel for htmx. `states` holds per-card state (a form being
    edited, a decision with errors, a message) keyed by change id."""
    changes = changes_for(project)
    return render_tab(PAGE, block, status, project=project, active_tab="changes", changes=changes,
                      summary=summary(changes), new_form=new_form or _new_form(formdata=None),
                      states=states or {}, notice=notice, show_new=show_new or new_form is not None,
                      **LABELS)


def _new_form(**kwargs) -> ChangeRequestForm:
    return with_ids(ChangeRequestForm(**kwargs), "new-")


def _edit_form(change, **kwargs) -> ChangeRequestForm:
    return with_ids(ChangeRequestForm(**kwargs), f"c{change.id}-")


def _card(project, change, status: int = 200, **state):
    """One change as a component (htmx, with the tab's summary out of band), or the tab
    with this card in that state."""
    if is_htmx():
        return render_template(CARD, project=project, change=change, states={change.id: state},
                               with_summary=True, summary=summary(changes_for(project)),
                               **LABELS), status
    return _page(project, status, states={change.id: state}, block=None)


def _change_or_404(project, change_id: int) -> ChangeRequest:
    """The project's change request with its people loaded (another project's id → 404)."""
    return get_child_or_404(ChangeRequest, project, change_id,
                            joinedload(ChangeRequest.proposed_by), joinedload(ChangeRequest.decided_by))


# --- the tab ---------------------------------------------------------------------------------
@bp.route("/changes")
@login_required
def changes(project_id: int):
    """Every change request of the project, newest first, and the form to propose one."""
    project = load_project(project_id)
    return _page(project, block=None)


@bp.route("/changes", methods=["POST"])
@login_required
def propose_change(project_id: int):
    """The prosjektleder (or owner) proposes a change; the owner is notified."""
    project = editable_project(project_id, "can_propose_changes")
    form = _new_form()
    if not form.validate_on_submit():
        return _page(project, 422, new_form=form)
    change = propose(project, form, current_user)
    message = _("Endringsforslaget «%(t)s» er sendt til prosjekteier.", t=change.title)
    return answer(TAB, project, message, f"change-{change.id}", lambda: _page(project, notice=message))


# --- one change ------------------------------------------------------------------------------
@bp.route("/changes/<int:change_id>")
@login_required
def show_change(project_id: int, change_id: int):
    """One change request (its card; a link from notifications and the history)."""
    project = load_project(project_id)
    change = _change_or_404(project, change_id)
    if is_htmx():
        return _card(project, change)
    return render_tab("plan/changes/_show.html", None, project=project, change=change,
                      active_tab="changes", states={}, summary=summary(changes_for(project)),
                      **LABELS)


@bp.route("/changes/<int:change_id>/edit", methods=["GET", "POST"])
@login_required
def edit_change(project_id: int, change_id: int):
    """Edit a proposal before the owner decides (a decided one is refused with 409)."""
    project, change = editable_child(project_id, _change_or_404, change_id, "can_propose_changes")
    refuse_if_decided(change)
    return edit_card(project, change, _edit_form, update_change, FIELD_LABELS, _card, tab=TAB,
                     anchor=f"change-{change.id}", saved=_("Endringsforslaget er lagret."),
                     still_open=refuse_if_decided)


@bp.route("/changes/<int:change_id>/delete", methods=["POST"])
@login_required
def delete_change_request(project_id: int, change_id: int):
    """Withdraw a proposal that is not decided yet (the page asks first)."""
    project, change = editable_child(project_id, _change_or_404, change_id, "can_propose_changes")
    refuse_if_decided(change)
    message = _("Endringsforslaget «%(t)s» er trukket tilbake.", t=change.title)
    delete_change(change)
    return answer(TAB, project, message, "", lambda: _page(project, notice=message))


@bp.route("/changes/<int:change_id>/decide", methods=["POST"])
@login_required
def decide_change(project_id: int, change_id: int):
    """The owner approves or rejects (a reason is required to reject)."""
    project, change = editable_child(project_id, _change_or_404, change_id, "can_decide_changes")
    form = ChangeDecisionForm()
    form.validate_on_submit()
    if not change.is_open:
        return _card(project, change, 409, message=describe_decided(change), tone="warning")
    if not form.check():
        return _card(project, change, 422, decision_form=form)
    seen = submitted_version(form.version.data)
    try:
        decide(change, form.decision.data, form.comment.data or "", current_user, seen)
    except Conflict as exc:
        change = _change_or_404(project, change_id)
        return _card(project, change, 409, message=exc.description, tone="warning",
                     decision_form=form if change.is_open else None)
    verb = _("godkjent") if change.status == "approved" else _("avvist")
    message = _("Endringen «%(t)s» er %(v)s.", t=change.title, v=verb)
    return answer(TAB, project, message, f"change-{change.id}", lambda: _card(project, change, message=message))


