"""The benefits realisation plan (gevinstrealiseringsplan): benefits, their measurements,
the plan's version counter, the review before BP4 and the benefits agreement at BP5."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import CodeLabel, FreeText, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.project import Project
from app.models.sort_keys import BenefitKeys
from app.models.user import User
from app.workflow.i18n import N_

#: kinds of benefit, after the municipal plan template (seed 001): code → Norwegian label
BENEFIT_KINDS = {
    "economic": N_("Økonomisk"),
    "quality": N_("Kvalitet"),
    "citizens": N_("For innbyggere"),
    "others": N_("For andre"),
}

#: a measurement that has come less than this share of the way the straight line
#: baseline → target expects by its date must be explained (the plan template: "a large
#: gap between expected and achieved values must be explained")
EXPLAIN_BELOW_SHARE = 0.5
#: … but only once the line expects at least this much progress, so early noise passes
EXPLAIN_MIN_EXPECTED = 0.1


class Benefit(BenefitKeys, ProjectRecord, Touched, db.Model):
    """One benefit (gevinst) the project is meant to bring, and how it is measured."""

    __tablename__ = "benefit"

    description: Mapped[str] = mapped_column(Text)
    #: one of BENEFIT_KINDS
    kind: Mapped[str] = mapped_column(String(16))
    #: måleindikator, e.g. "Tid brukt på vedtak om praktisk bistand"
    indicator: Mapped[str] = mapped_column(String(300), default="")
    #: måleenhet, e.g. "timer per måned"; "kr" for economic benefits
    unit: Mapped[str] = mapped_column(String(60), default="")
    #: nullpunkt: the value measured before the effects start
    baseline: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: when the baseline was measured
    baseline_measured_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: målverdi
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: when the target value should be reached
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: gevinstansvarlig for this benefit (a line leader)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True, index=True)
    #: the measurement schedule: measured every this many months (1, 3, 6 or 12) after
    #: the handover to the line; None = no fixed schedule (no reminders)
    measure_every_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: … for this many years after the handover; None = until the benefits work ends (BP6)
    measure_for_years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: tiltak the line must carry out for the benefit to be realised
    measures: Mapped[FreeText]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(backref=backref(
        "benefits", order_by="Benefit.id", cascade="all, delete-orphan", passive_deletes=True))
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    measurements: Mapped[list[BenefitMeasurement]] = relationship(
        back_populates="benefit", cascade="all, delete-orphan",
        order_by=lambda: (BenefitMeasurement.measured_on, BenefitMeasurement.id))

    #: the Norwegian name of the kind (a message id: translate when shown)
    kind_label = CodeLabel("kind", BENEFIT_KINDS)

    @property
    def is_measurable(self) -> bool:
        """Indicator, baseline and target are all set (what BP3 asks of every benefit)."""
        return bool(self.indicator.strip()) and self.baseline is not None and self.target is not None

    @property
    def latest_measurement(self) -> BenefitMeasurement | None:
        return self.measurements[-1] if self.measurements else None

    def expected_share(self, on: date) -> float | None:
        """How far along the straight line baseline → target the benefit should be on
        `on` (0 at the baseline date, 1 at the due date); None when the line is unknown."""
        if self.baseline_measured_on is None or self.due_on is None:
            return None
        span = (self.due_on - self.baseline_measured_on).days
        if span <= 0:
            return None
        return min(1.0, max(0.0, (on - self.baseline_measured_on).days / span))

    def expected_value(self, on: date) -> float | None:
        """The value the straight line baseline → target expects on `on`."""
        share = self.expected_share(on)
        if share is None or self.baseline is None or self.target is None:
            return None
        return self.baseline + (self.target - self.baseline) * share

    def needs_explanation(self, on: date, value: float) -> bool:
        """True when a measurement of `value` on `on` falls far behind the expected line:
        less than half the expected progress, once at least a tenth is expected. Going
        the wrong way counts as no progress. Beating the line never needs explaining."""
        share = self.expected_share(on)
        if share is None or self.baseline is None or self.target is None or self.target == self.baseline:
            return False
        if share < EXPLAIN_MIN_EXPECTED:
            return False
        achieved = (value - self.baseline) / (self.target - self.baseline)
        return achieved < share * EXPLAIN_BELOW_SHARE

    def __repr__(self) -> str:
        return f"<Benefit {self.id} {self.kind} {self.description[:30]!r}>"


class BenefitMeasurement(db.Model):
    """One measured value of a benefit's indicator. Recorded during the project and after
    handover, until BP6; corrected by deleting and recording again."""

    __tablename__ = "benefit_measurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(ForeignKey("benefit.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    #: why the value is what it is; required when it falls far behind the expected line
    comment: Mapped[FreeText]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    benefit: Mapped[Benefit] = relationship(back_populates="measurements")
    recorded_by: Mapped[User] = relationship()


class BenefitsPlan(db.Model):
    """The benefits realisation plan's version counter, one row per project.

    Every change to a benefit (added, edited, deleted) bumps `plan_version`, so that a
    review or an acknowledged agreement can say which plan it was about. No row: version 0.
    """

    __tablename__ = "benefits_plan"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    #: bumped by every change to the project's benefits
    plan_version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BenefitsReview(db.Model):
    """"Gevinstrealiseringsplanen er gjennomgått" (BP4): who reviewed which version, when."""

    __tablename__ = "benefits_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    #: BenefitsPlan.plan_version at the time of the review
    plan_version: Mapped[int] = mapped_column(Integer)
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    reviewed_by: Mapped[User] = relationship()


class BenefitsAgreementAck(db.Model):
    """One person's acknowledgement of the benefits agreement (gevinstavtale, BP5) for one
    version of the plan. A later change to the plan needs a new acknowledgement."""

    __tablename__ = "benefits_agreement_ack"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "plan_version",
                                       name="uq_benefits_agreement_ack_project_user_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    #: BenefitsPlan.plan_version acknowledged
    plan_version: Mapped[int] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


# The portfolio's benefits panel counts the stored categories of the view's projects (0011).
Index("ix_benefit_project_category", Benefit.project_id, Benefit.progress_category)
