"""A project, from the first idea to the completed benefits work: one record, one URL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User

#: answers to "Behandles personopplysninger?" and "Trengs hjelp fra IKT?"
YES_NO_UNKNOWN = ("yes", "no", "unknown")

#: project roles held in ProjectMember (owner and manager are columns on Project)
MEMBER_ROLES = ("benefits_owner", "technical_lead", "domain_lead", "communications",
                "change_agent", "member", "reference")


class Project(db.Model):
    """An idea or project. The stage moves only through `app.workflow` and the gates."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: optimistic lock: a save based on an older version is refused (409)
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    #: app.workflow.Stage value: draft, idea, concept, … completed, rejected, withdrawn
    stage: Mapped[str] = mapped_column(String(20), index=True)
    #: "Behov eller problem": today's situation
    need: Mapped[str] = mapped_column(Text, default="")
    #: "Forslag til løsning"
    proposed_solution: Mapped[str] = mapped_column(Text, default="")
    #: "Forventede gevinster"
    expected_benefits: Mapped[str] = mapped_column(Text, default="")
    #: "Hvem berøres"
    affected: Mapped[str] = mapped_column(Text, default="")
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
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    submitted_by: Mapped[User] = relationship(foreign_keys=[submitted_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    members: Mapped[list[ProjectMember]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ProjectMember.id")
    gate_requests = relationship("GateRequest", back_populates="project",
                                 order_by="GateRequest.requested_at", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_draft(self) -> bool:
        return self.stage == "draft"

    def members_with(self, role: str) -> list[User]:
        return [m.user for m in self.members if m.role == role]

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
