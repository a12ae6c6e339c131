"""A project, from the first idea to the completed benefits work: one record, one URL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, Touched, UTCDateTime, Versioned, utcnow
from app.models.plan_permissions import CLOSED_STAGES, PlanPermissions
from app.models.sort_keys import ProjectSortKeys
from app.models.user import User

#: answers to "Behandles personopplysninger?" and "Trengs hjelp fra IKT?"
YES_NO_UNKNOWN = ("yes", "no", "unknown")

#: answers to "Behandles personopplysninger?" that put a project in the privacy queue
PRIVACY_QUEUE_ANSWERS = ("yes", "unknown")

#: project roles held in ProjectMember (owner and manager are columns on Project)
MEMBER_ROLES = ("steering_group", "benefits_owner", "technical_lead", "domain_lead", "communications",
                "change_agent", "member", "reference")


class Project(PlanPermissions, ProjectSortKeys, Versioned, Touched, db.Model):
    """An idea or project. The stage moves only through `app.workflow` and the gates."""

    __tablename__ = "project"

    title: Mapped[str] = mapped_column(String(200))
    #: app.workflow.Stage value: draft, idea, concept, … completed, rejected, withdrawn
    stage: Mapped[str] = mapped_column(String(20), index=True)
    #: "Behov eller problem": today's situation
    need: Mapped[FreeText]
    #: "Forslag til løsning"
    proposed_solution: Mapped[FreeText]
    #: "Forventede gevinster"
    expected_benefits: Mapped[FreeText]
    #: "Hvem berøres"
    affected: Mapped[FreeText]
    #: the unit (enhet) the project belongs to
    unit: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: "Behandles personopplysninger?": yes / no / unknown
    personal_data: Mapped[str] = mapped_column(String(10), default="unknown")
    #: "Trengs hjelp fra IKT?": yes / no / unknown
    needs_ikt: Mapped[str] = mapped_column(String(10), default="unknown")
    #: restricted ("Skjermet"): seen only by its own roles, portefolje and admins
    restricted: Mapped[bool] = mapped_column(default=False)

    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: the prosjekteier; while an idea, the proposed owner
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True, index=True)
    #: when the owner confirmed taking the role (at BP1)
    owner_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the prosjektleder (from BP1: the leader of the concept work); never the owner
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True, index=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    members: Mapped[list[ProjectMember]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectMember.id")
    gate_requests = relationship("GateRequest", back_populates="project",
                                 order_by="GateRequest.requested_at", cascade="all, delete-orphan")

    @property
    def is_draft(self) -> bool:
        return self.stage == "draft"

    def members_with(self, role: str) -> list[User]:
        return [m.user for m in self.members if m.role == role]

    # --- permissions (the same methods guard views and decide which buttons show) ----
    def workflow_roles(self, user) -> frozenset:
        """The acting person's roles on this project, as the workflow rules know them."""
        from app.workflow import Role

        roles = {Role.EMPLOYEE}
        if user is None or not getattr(user, "is_authenticated", False):
            return frozenset()
        if user.id == self.submitted_by_id:
            roles.add(Role.SUBMITTER)
        if user.id == self.owner_id:
            roles.add(Role.OWNER)
        if user.id == self.manager_id:
            roles.add(Role.MANAGER)
        if user.is_admin:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_project_role(self, user) -> bool:
        """Owner, manager, submitter or any named member of this project."""
        return user.id in {self.submitted_by_id, self.owner_id, self.manager_id} or any(
            m.user_id == user.id for m in self.members)

    def can_view(self, user) -> bool:
        """Drafts: only the author. Restricted: own roles, portefolje and admins. Else all staff."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if self.stage == "draft":
            return user.id == self.submitted_by_id
        if self.restricted:
            return (user.is_admin or user.has_role("portefolje") or self.has_project_role(user))
        return True

    # --- the work a restricted project asks of the IKT department and the personvernombud
    def processes_personal_data(self) -> bool:
        """Does, or may, the project process personal data ("Ja" or "Vet ikke")?"""
        return self.personal_data in PRIVACY_QUEUE_ANSWERS

    def can_assess_privacy_of(self, user) -> bool:
        """May `user` see this project in the privacy queue and on its assessment page?

        Everyone who may view it, and the personvernombud (role `personvern`) every
        submitted project that processes personal data, restricted or not: a restricted
        project's DPIA must be cleared too. Nothing else of it opens to her."""
        if self.can_view(user):
            return True
        return (getattr(user, "is_authenticated", False) and self.stage != "draft"
                and user.has_role("personvern") and self.processes_personal_data())

    def can_see_ikt_tasks_of(self, user) -> bool:
        """May `user` see this project's technical tasks in the IKT queue?

        Everyone who may view it, and people in the IKT department (role `ikt`) the
        tasks of every submitted project, restricted or not: the tasks are assigned to
        the IKT department. Nothing else of a restricted project opens to them."""
        if self.can_view(user):
            return True
        return getattr(user, "is_authenticated", False) and self.stage != "draft" and user.has_role("ikt")

    def can(self, action, user) -> bool:
        """May `user` perform the workflow `action` now? (app.workflow decides)."""
        from app.workflow import can

        return self.can_view(user) and can(self.gate_state(), action, self.workflow_roles(user))

    def is_decider(self, user) -> bool:
        """Is `user` the one who decides this project's gates (app.workflow's rule), whether
        or not a request waits now? The decision form's guard; `can_decide` adds the rest."""
        from app.workflow import decides_gates

        return decides_gates(self.workflow_roles(user))

    def can_decide(self, user) -> bool:
        """May `user` decide the open gate request now? Only the owner, and only while
        they may own projects (a leader, the owner group, or granted by an administrator)."""
        from app.workflow import Action

        return (self.owner is not None and self.owner_id == getattr(user, "id", None)
                and self.can(Action.APPROVE, user) and self.owner.can_own_projects())

    def can_edit(self, user) -> bool:
        """The prosjektleder and prosjekteier edit the project (admins too), until it ends."""
        if self.stage in ("completed", "rejected", "withdrawn"):
            return False
        if self.stage in ("draft", "idea"):
            return user.id in {self.submitted_by_id, self.owner_id} or user.is_admin
        return user.id in {self.owner_id, self.manager_id} or user.is_admin

    def can_set_restricted(self, user) -> bool:
        """Restrict the project ("Skjermet") or lift the restriction: the prosjekteier and
        administrators, once it is submitted."""
        if user is None or not getattr(user, "is_authenticated", False) or self.is_draft:
            return False
        return bool(user.is_admin or user.id == self.owner_id)

    def can_score(self, user) -> bool:
        """Score it on the priority criteria: portfolio management and administrators, while
        it is submitted and still open."""
        from app.models.portfolio import PriorityScore

        return PriorityScore.can_score(user) and self.stage not in (*CLOSED_STAGES, "draft")

    # --- people who left (flask directory sync) -----------------------------------
    @property
    def is_running(self) -> bool:
        """Submitted and not yet ended: someone must own and lead it."""
        return self.stage not in ("draft", "completed", "rejected", "withdrawn")

    @property
    def leavers(self) -> list[tuple[str, User]]:
        """("owner" | "manager", person) for each of the two who has left the kommune."""
        return [(role, person) for role, person in (("owner", self.owner), ("manager", self.manager))
                if person is not None and not person.active]

    def stand_in(self) -> User | None:
        """Who gets the notifications of an owner or manager who left: the owner's leader
        (the directory's `manager`), or the owner when they have none and are still
        here, until someone new is named."""
        owner = self.owner
        if owner is None:
            return None
        if owner.leader_username:
            leader = db.session.execute(
                db.select(User).where(User.username == owner.leader_username)
            ).scalar_one_or_none()
            if leader is not None and leader.active:
                return leader
        return owner if owner.active else None

    @property
    def open_request(self):
        return next((r for r in self.gate_requests if r.is_open), None)

    def gate_state(self):
        """The workflow's view of this project: stage and the open request, if any."""
        from app.workflow import GateState, RequestStatus, Stage

        req = self.open_request
        return GateState(
            stage=Stage(self.stage),
            open_request=RequestStatus(req.status) if req else None,
            postponed_until=req.postponed_until if req else None,
        )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.stage} {self.title!r}>"


class ProjectMember(db.Model):
    """A person in one of the project's roles other than owner and manager."""

    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "role",
                                       name="uq_project_member_project_user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: one of MEMBER_ROLES
    role: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


Index("ix_project_stage_unit", Project.stage, Project.unit)
# The portfolio's sort orders, walked in order so that a page stops after its rows (0011).
Index("ix_project_sort_stage", Project.stage_rank, Project.title_key, Project.id)
Index("ix_project_sort_stage_desc", Project.stage_rank.desc(), Project.title_key, Project.id.desc())
Index("ix_project_sort_title", Project.title_key, Project.id)
Index("ix_project_sort_unit", Project.unit_key, Project.id)
for _key in ("sort_owner", "sort_manager", "sort_status", "sort_milestone", "sort_budget", "sort_benefits",
             "sort_priority"):
    _col = getattr(Project, _key)
    Index(f"ix_project_{_key}", _col.is_(None), _col, Project.id)
    Index(f"ix_project_{_key}_desc", _col.is_(None), _col.desc(), Project.id.desc())
#: the columns after the order are what the queue and its "urgent" count filter on, so
#: that neither reads the table for rows it leaves out (a covering index)
_FILTERED_ON = (Project.stage, Project.restricted, Project.submitted_by_id, Project.owner_id, Project.manager_id)
Index("ix_project_sort_privacy", Project.sort_privacy, Project.stage_rank.desc(), Project.title_key, Project.id,
      Project.personal_data, *_FILTERED_ON)
# The IKT queue's "needs IKT" list, longest waiting first.
Index("ix_project_needs_ikt", Project.needs_ikt, Project.submitted_at.is_(None), Project.submitted_at, Project.id,
      *_FILTERED_ON)
