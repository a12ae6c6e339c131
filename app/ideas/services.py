"""Operations on ideas: keep a draft, submit it. Each writes its audit event."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from app.audit import record
from app.extensions import db
from app.models import YES_NO_UNKNOWN, Project, User
from app.models.base import utcnow
from app.notifications.messages import recipient_locale
from app.notifications.services import notify
from app.people.owners import require_eligible_owner
from app.workflow import Action, Gate, perform

#: form fields copied straight onto the project
TEXT_FIELDS = ("title", "need", "proposed_solution", "expected_benefits", "affected", "unit",
               "personal_data", "needs_ikt")


def apply_form(project: Project, form, owner: User | None) -> None:
    """Copy the form's fields and the (already looked up) proposed owner onto the project.

    Raises OwnerNotEligible for an owner who may not own projects (the form has said so
    beside the field already; this is the rule's last line)."""
    if owner is not None and owner.id != project.owner_id:
        with db.session.no_autoflush:  # a new project is not inserted half-filled
            require_eligible_owner(owner)
    for name in TEXT_FIELDS:
        value = getattr(form, name).data
        if name in ("personal_data", "needs_ikt"):
            value = value if value in YES_NO_UNKNOWN else "unknown"
        setattr(project, name, (value or "").strip())
    project.owner = owner


def delete_draft_project(project: Project) -> None:
    """Delete a private draft (its author's choice), noting it in the audit log first."""
    record("idea.draft_deleted", obj=project, title=project.title)
    db.session.delete(project)


def save_draft(project: Project | None, form, author: User, *, owner: User | None = None,
               audit: bool = True) -> Project:
    """Create or update a private draft.

    `audit=False` when the draft is sent in within the same request: the history then
    says "sendte inn ideen", not also "lagret kladden" for a draft nobody kept.
    """
    created = project is None
    if created:
        project = Project(stage="draft", submitted_by=author, title="")
        db.session.add(project)
    apply_form(project, form, owner)
    db.session.flush()
    if audit:
        record("idea.draft_created" if created else "idea.draft_saved", obj=project,
               project_id=project.id, title=project.title)
    return project


def submit_idea(project: Project, author: User) -> Project:
    """Send a draft in. "Send inn" is the request for BP1: the idea gets its permanent URL,
    the BP1 request opens at once, and the proposed owner is told that it waits for them.

    Raises OwnerNotEligible when the proposed owner may not own projects (checked again:
    a draft may have been saved long ago), and Conflict when the draft changed meanwhile.
    """
    from app.gates.services import checklist_for, open_request
    from app.projects.services import flush_or_conflict

    if project.owner is not None:
        require_eligible_owner(project.owner)
    outcome = perform(project.gate_state(), Action.SUBMIT, project.workflow_roles(author),
                      today=date.today(), checklist=checklist_for(project, Gate.BP1))
    project.stage = outcome.stage.value
    project.submitted_at = utcnow()
    flush_or_conflict(project)
    record("idea.submitted", obj=project, project_id=project.id, title=project.title,
           owner=project.owner.username if project.owner else None)
    open_request(project, Gate.BP1, "", author, outcome.checklist_snapshot or [])
    if project.owner is not None and project.owner.id != author.id:
        with recipient_locale(project.owner):  # in the owner's language
            notify(project.owner, "idea_submitted",
                   _("%(who)s har sendt inn ideen «%(title)s» og foreslår deg som prosjekteier. "
                     "Den venter på din beslutning ved BP1.", who=author.display_name, title=project.title),
                   url_for("gates.show_gate", project_id=project.id, gate_code=Gate.BP1.value),
                   project=project, actor=author,
                   mail_subject=_("Ny idé venter på din beslutning: %(title)s", title=project.title))
    return project
