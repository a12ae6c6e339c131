"""Operations on ideas: keep a draft, submit it. Each writes its audit event."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from app.audit import record
from app.auth.services import user_for_person
from app.directory import get_directory
from app.extensions import db
from app.models import Project, User
from app.models.base import utcnow
from app.notifications.services import notify
from app.workflow import Action, perform

#: form fields copied straight onto the project
TEXT_FIELDS = ("title", "need", "proposed_solution", "expected_benefits", "affected", "unit",
               "personal_data", "needs_ikt")


class UnknownPerson(Exception):
    """The chosen username is not in the directory."""


class PersonLeft(UnknownPerson):
    """The chosen person has left (inactive since `flask directory sync`): no new roles."""


def resolve_user(username: str | None) -> User | None:
    """The local record for a username chosen in the people picker (looked up if needed)."""
    username = (username or "").strip()
    if not username:
        return None
    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is not None:
        if not user.active:
            raise PersonLeft(username)
        return user
    person = get_directory().find_person(username)
    if person is None:
        raise UnknownPerson(username)
    return user_for_person(person)


def apply_form(project: Project, form, owner: User | None) -> None:
    """Copy the form's fields and the (already looked up) proposed owner onto the project."""
    for name in TEXT_FIELDS:
        value = getattr(form, name).data
        setattr(project, name, (value or "").strip() if isinstance(value, str) else value)
    project.owner = owner


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
    """Send a draft in: it becomes an idea at its permanent URL, and the proposed owner is told."""
    outcome = perform(project.gate_state(), Action.SUBMIT, project.workflow_roles(author),
                      today=date.today())
    project.stage = outcome.stage.value
    project.submitted_at = utcnow()
    db.session.flush()
    record("idea.submitted", obj=project, project_id=project.id, title=project.title,
           owner=project.owner.username if project.owner else None)
    url = url_for("projects.show_project", project_id=project.id)
    if project.owner is not None:
        notify(project.owner, "idea_submitted",
               _("%(who)s har sendt inn ideen «%(title)s» og foreslår deg som prosjekteier.",
                 who=author.display_name, title=project.title),
               url, project=project,
               mail_subject=_("Ny idé til deg: %(title)s", title=project.title))
    return project
