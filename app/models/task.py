"""Technical tasks for the IKT department, and the project's privacy (DPIA) assessment."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, OnePerProject, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.user import User
from app.workflow.i18n import N_

#: kinds of technical task, as (code, Norwegian label)
TASK_KINDS = (("access", N_("Tilgang")), ("test_env", N_("Testmiljø")), ("integration", N_("Integrasjon")),
              ("infosec", N_("Informasjonssikkerhet")), ("operations", N_("Drift")), ("other", N_("Annet")))
TASK_KIND_CODES = tuple(code for code, _label in TASK_KINDS)

#: task statuses in the order work moves, as (code, Norwegian label)
TASK_STATUSES = (("open", N_("Åpen")), ("in_progress", N_("Pågår")), ("done", N_("Ferdig")))
TASK_STATUS_CODES = tuple(code for code, _label in TASK_STATUSES)

#: the DPIA (personvernkonsekvensvurdering) statuses, as (code, Norwegian label); the codes
#: are app.workflow.facts.DPIA_STATUSES
DPIA_CHOICES = (("ikke_vurdert", N_("Ikke vurdert")), ("ikke_nodvendig", N_("Ikke nødvendig")),
                ("pakrevd", N_("Påkrevd")), ("under_arbeid", N_("Under arbeid")), ("ferdig", N_("Ferdig")))


class TechnicalTask(ProjectRecord, Touched, db.Model):
    """Something the project needs from IKT: access, a test environment, an integration…"""

    __tablename__ = "technical_task"
    __table_args__ = (Index("ix_technical_task_status_due", "status", "due_date"),)

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[FreeText]
    #: one of TASK_KIND_CODES
    kind: Mapped[str] = mapped_column(String(16), default="other")
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: one of TASK_STATUS_CODES
    status: Mapped[str] = mapped_column(String(12), default="open")
    #: the person in IKT who does it (someone with the app role "ikt"); None = not assigned
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project = relationship("Project", backref=backref(
        "technical_tasks", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: [TechnicalTask.id]))
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    def is_overdue(self, today: date | None = None) -> bool:
        """Past its due date and not done."""
        return (self.due_date is not None and self.status != "done"
                and self.due_date < (today or date.today()))

    def can_work(self, user) -> bool:
        """Change this task's status and assignee: the IKT department (and administrators)."""
        return self.project.can_work_tasks(user)

    def __repr__(self) -> str:
        return f"<TechnicalTask {self.id} {self.project_id} {self.status} {self.title!r}>"


# The IKT queue walks tasks by due date, those without one last (0011).
Index("ix_technical_task_due", TechnicalTask.due_date.is_(None), TechnicalTask.due_date, TechnicalTask.id)


class PrivacyAssessment(OnePerProject, Touched, db.Model):
    """The personvernombud's assessment of a project: the DPIA status and a comment.
    At most one per project; a project without one counts as "ikke_vurdert"."""

    __tablename__ = "privacy_assessment"

    #: one of the codes of DPIA_CHOICES
    dpia_status: Mapped[str] = mapped_column(String(16), default="ikke_vurdert", index=True)
    #: the personvernombud's comment to the project
    comment: Mapped[FreeText]
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    project = relationship("Project", backref=backref(
        "privacy_assessment", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    updated_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PrivacyAssessment {self.project_id} {self.dpia_status}>"
