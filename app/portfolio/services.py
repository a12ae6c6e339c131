"""The portfolio's operations that change state. Each adds its audit event in the same
transaction and flushes; the request commits (app/transactions.py)."""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit import record
from app.extensions import db
from app.models import Project, User
from app.models.portfolio import PRIORITY_CRITERIA, PriorityScore, Programme, ProgrammeProject, SavedView
from app.models.base import utcnow
from app.portfolio.filters import PortfolioFilter
from app.workflow.i18n import N_


class ProgrammeConflict(Exception):
    """The project already belongs to (another) programme."""

    def __init__(self, programme: Programme):
        super().__init__(programme.name)
        self.programme = programme


# --- restricted ("Skjermet") -----------------------------------------------------------------
def set_restricted(project: Project, restricted: bool) -> bool:
    """Restrict the project or lift the restriction; False when nothing changed."""
    if project.restricted == restricted:
        return False
    project.restricted = restricted
    record("project.restricted" if restricted else "project.unrestricted", obj=project,
           project_id=project.id, title=project.title)
    db.session.flush()
    return True


# --- saved views -----------------------------------------------------------------------------
def normalised_query(query_string: str) -> str:
    """Only what the portfolio understands, in a stable order, without the page number."""
    from werkzeug.datastructures import MultiDict
    from urllib.parse import parse_qsl

    args = MultiDict(parse_qsl((query_string or "").lstrip("?"), keep_blank_values=False))
    return PortfolioFilter.from_args(args).query_string(paging=False)[:2000]


def save_view(user: User, name: str, query_string: str) -> tuple[SavedView, bool]:
    """Save (or, with a name already used, replace) one of the person's views.
    Returns the view and whether it was new."""
    name = " ".join(name.split())[:100]
    query = normalised_query(query_string)
    view = db.session.execute(db.select(SavedView).where(
        SavedView.user_id == user.id, SavedView.name == name)).scalar_one_or_none()
    created = view is None
    if created:
        view = SavedView(user_id=user.id, name=name, query=query)
        db.session.add(view)
    else:
        view.query = query
    db.session.flush()
    record("portfolio.view_saved", obj=view, name=name, query=query, replaced=not created)
    return view, created


def delete_view(view: SavedView) -> None:
    record("portfolio.view_deleted", obj=view, name=view.name, query=view.query)
    db.session.delete(view)
    db.session.flush()


# --- priority score --------------------------------------------------------------------------
def score_project(project: Project, scores: dict[str, int], comment: str, user: User) -> PriorityScore:
    """Set the project's current priority score (one per project); the audit event keeps
    the previous scores, so the history shows every change."""
    current = db.session.execute(db.select(PriorityScore).where(
        PriorityScore.project_id == project.id)).scalar_one_or_none()
    before = current.scores() if current else None
    if current is None:
        current = PriorityScore(project_id=project.id, **scores)
        db.session.add(current)
    else:
        for code, value in scores.items():
            setattr(current, code, value)
    current.comment = (comment or "").strip()
    current.scored_by_id = user.id
    current.scored_at = utcnow()
    db.session.flush()
    record("priority.scored", obj=current, project_id=project.id, title=project.title,
           scores={code: scores[code] for code in PRIORITY_CRITERIA}, before=before,
           priority=current.priority, comment=current.comment)
    return current


# --- programmes ------------------------------------------------------------------------------
def create_programme(name: str, description: str, owner: User, user: User) -> Programme:
    programme = Programme(name=name.strip(), description=(description or "").strip(), owner=owner,
                          created_by_id=user.id)
    db.session.add(programme)
    db.session.flush()
    record("programme.created", obj=programme, name=programme.name, owner=owner.username,
           owner_name=owner.display_name)
    return programme


def update_programme(programme: Programme, name: str, description: str, owner: User) -> None:
    changes = {}
    if programme.name != name.strip():
        changes["name"] = [programme.name, name.strip()]
    if programme.description != (description or "").strip():
        changes["description"] = True
    if programme.owner_id != owner.id:
        changes["owner"] = [programme.owner.display_name, owner.display_name]
    programme.name = name.strip()
    programme.description = (description or "").strip()
    programme.owner = owner
    db.session.flush()
    record("programme.updated", obj=programme, name=programme.name, changes=changes)


def delete_programme(programme: Programme) -> None:
    """Delete the programme; its projects stay, outside any programme."""
    record("programme.deleted", obj=programme, name=programme.name,
           projects=[m.project_id for m in programme.memberships])
    db.session.delete(programme)
    db.session.flush()


def programme_of(project_id: int) -> Programme | None:
    link = db.session.get(ProgrammeProject, project_id)
    return link.programme if link else None


def add_project(programme: Programme, project: Project, user: User) -> None:
    """Put the project in the programme. A project is in at most one programme: one that
    is already in another must be taken out there first (ProgrammeConflict)."""
    current = programme_of(project.id)
    if current is not None:
        raise ProgrammeConflict(current)
    db.session.add(ProgrammeProject(programme_id=programme.id, project_id=project.id, added_by_id=user.id))
    db.session.flush()
    record("programme.project_added", obj=programme, project_id=project.id, name=programme.name,
           title=project.title)


def remove_project(programme: Programme, link: ProgrammeProject) -> None:
    project = link.project
    db.session.delete(link)
    db.session.flush()
    record("programme.project_removed", obj=programme, project_id=project.id, name=programme.name,
           title=project.title)


# --- the history tab ---------------------------------------------------------------------------
#: the events told as "who did what to the programme or saved view named «n»"
_NAMED_EVENTS = {
    "programme.project_added": N_("%(who)s la prosjektet til programmet «%(n)s»."),
    "programme.project_removed": N_("%(who)s tok prosjektet ut av programmet «%(n)s»."),
    "programme.created": N_("%(who)s opprettet programmet «%(n)s»."),
    "programme.updated": N_("%(who)s endret programmet «%(n)s»."),
    "programme.deleted": N_("%(who)s slettet programmet «%(n)s»."),
    "portfolio.view_saved": N_("%(who)s lagret porteføljevisningen «%(n)s»."),
    "portfolio.view_deleted": N_("%(who)s slettet porteføljevisningen «%(n)s»."),
}


def describe_portfolio_event(event) -> str | None:
    """Norwegian sentences for the portfolio's audit events (the project history shows
    those with a project_id)."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    action = event.action
    if action == "project.restricted":
        return _("%(who)s skjermet prosjektet. Nå ser bare prosjektets egne roller, porteføljestyringen og "
                 "administratorer det.", who=who)
    if action == "project.unrestricted":
        return _("%(who)s opphevet skjermingen av prosjektet.", who=who)
    if action == "priority.scored":
        scores = d.get("scores") or {}
        parts = ", ".join(f"{_(PRIORITY_CRITERIA[c][0]).lower()} {scores[c]}"
                          for c in PRIORITY_CRITERIA if c in scores)
        text = _("%(who)s prioriterte prosjektet: %(p)s av 25 (%(parts)s).", who=who, p=d.get("priority", ""),
                 parts=parts)
        return text + (" " + _("Begrunnelse: «%(c)s»", c=d["comment"]) if d.get("comment") else "")
    if action in _NAMED_EVENTS:
        return _(_NAMED_EVENTS[action], who=who, n=d.get("name", ""))
    return None

