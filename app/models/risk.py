"""Uncertainty (usikkerhet): the project's risks and opportunities, and its ITPOSMO
design-reality gap assessment (after R. Heeks)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import CodeLabel, FreeText, OnePerProject, ProjectRecord, Touched, UTCDateTime, utcnow
from app.models.project import Project
from app.models.user import User
from app.workflow.i18n import N_

#: risk (negative) or opportunity (positive): code → Norwegian label
RISK_KINDS = {"risk": N_("Risiko"), "opportunity": N_("Mulighet")}

#: strategies and their Norwegian labels
RISK_STRATEGIES = {
    "reduce": N_("Redusere"),
    "monitor": N_("Overvåke"),
    "avoid": N_("Unngå"),
    "transfer": N_("Overføre"),
    "accept": N_("Akseptere"),
    "exploit": N_("Utnytte"),
    "enhance": N_("Forsterke"),
}

#: which strategies fit which kind: an opportunity is exploited or enhanced (or watched
#: and accepted), never avoided
STRATEGIES_FOR_KIND = {
    "risk": ("reduce", "monitor", "avoid", "transfer", "accept"),
    "opportunity": ("exploit", "enhance", "monitor", "accept"),
}

#: open or closed: code → Norwegian label
RISK_STATUSES = {"open": N_("Åpen"), "closed": N_("Lukket")}

#: the scale of probability and consequence
SCALE = range(1, 6)
#: the lowest score the matrix calls "Høy" (12–25; no product of 1–5 is 11)
HIGH_SCORE = 12


def score_level(score: int | None) -> str | None:
    """"low", "medium" or "high" for a score 1–25 (the matrix colours: green, yellow, red)."""
    if score is None:
        return None
    if score <= 4:
        return "low"
    if score < HIGH_SCORE:
        return "medium"
    return "high"


#: Norwegian names of the score levels (shown beside the colour, never colour alone)
LEVEL_LABELS = {"low": N_("Lav"), "medium": N_("Middels"), "high": N_("Høy")}


class Risk(ProjectRecord, Touched, db.Model):
    """A risk or an opportunity: how likely, how bad (or good), and what is done about it.

    Other areas read `description`, `kind`, `probability`, `consequence`, `score`,
    `status`, `strategy` and `responsible` (status reports freeze the top risks).
    """

    __tablename__ = "risk"

    #: one of RISK_KINDS
    kind: Mapped[str] = mapped_column(String(12), default="risk")
    description: Mapped[str] = mapped_column(Text)
    #: sannsynlighet 1 (svært lite sannsynlig) – 5 (svært sannsynlig)
    probability: Mapped[int] = mapped_column(Integer)
    #: konsekvens 1 (ubetydelig) – 5 (svært alvorlig)
    consequence: Mapped[int] = mapped_column(Integer)
    #: one of RISK_STRATEGIES ("" while not decided)
    strategy: Mapped[str] = mapped_column(String(12), default="")
    #: tiltak: what is done about it
    action: Mapped[FreeText]
    #: who follows it up
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True, index=True)
    #: one of RISK_STATUSES
    status: Mapped[str] = mapped_column(String(8), default="open")
    #: the expected probability once the action is carried out
    probability_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the expected consequence once the action is carried out
    consequence_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: why the score after the action is higher than before (required then, see RiskForm)
    after_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(backref=backref(
        "risks", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: ((Risk.probability * Risk.consequence).desc(), Risk.id)))
    responsible: Mapped[User | None] = relationship(foreign_keys=[responsible_id])

    @hybrid_property
    def score(self) -> int:
        """Probability × consequence, 1–25 (also usable in SQL for sorting)."""
        return self.probability * self.consequence

    @hybrid_property
    def score_after(self) -> int | None:
        """The score once the action is carried out, when both values are given."""
        if self.probability_after is None or self.consequence_after is None:
            return None
        return self.probability_after * self.consequence_after

    @score_after.inplace.expression
    @classmethod
    def _score_after_expression(cls):
        return cls.probability_after * cls.consequence_after

    @property
    def level(self) -> str | None:
        return score_level(self.score)

    @property
    def level_after(self) -> str | None:
        return score_level(self.score_after)

    @property
    def is_assessed(self) -> bool:
        """Probability, consequence and a strategy: what the BP3 risk analysis counts."""
        return bool(self.probability and self.consequence and self.strategy)

    kind_label = CodeLabel("kind", RISK_KINDS)
    strategy_label = CodeLabel("strategy", RISK_STRATEGIES)
    status_label = CodeLabel("status", RISK_STATUSES)

    def __repr__(self) -> str:
        return f"<Risk {self.id} {self.kind} {self.score} {self.description[:30]!r}>"


#: the seven ITPOSMO dimensions: code → (Norwegian name, what a gap there means)
ITPOSMO_DIMENSIONS = {
    "information": (N_("Informasjon"), N_("Data og informasjon som trengs, lagres og brukes")),
    "technology": (N_("Teknologi"), N_("Maskinvare, programvare, nett og integrasjoner")),
    "processes": (N_("Prosesser"), N_("Arbeidsprosessene og hvem som gjør hva")),
    "objectives": (N_("Mål og verdier"), N_("Hva de berørte ønsker å oppnå, og kulturen")),
    "staffing": (N_("Bemanning og kompetanse"), N_("Hvor mange som trengs, og hva de må kunne")),
    "management": (N_("Styringssystemer og strukturer"), N_("Ledelse, organisering og styring")),
    "resources": (N_("Andre ressurser (tid og penger)"), N_("Tid og penger til innføring og drift")),
}

#: Heeks' rule of thumb: a total above this calls for risk-reducing measures …
ITPOSMO_TOTAL_LIMIT = 20
#: … and so does any single dimension above this
ITPOSMO_DIMENSION_LIMIT = 5
#: the highest score of one dimension (complete, radical change)
ITPOSMO_MAX = 10
#: one dimension's gap, 0 (no change) to ITPOSMO_MAX
GapScore = Annotated[int, mapped_column(Integer, default=0)]


class ItposmoAssessment(OnePerProject, Touched, db.Model):
    """The design-reality gap: how far the new system is from today, in seven dimensions,
    0 (no change) to 10 (complete, radical change). One per project."""

    __tablename__ = "itposmo_assessment"

    #: Informasjon 0–10
    information: Mapped[GapScore]
    information_comment: Mapped[FreeText]
    #: Teknologi 0–10
    technology: Mapped[GapScore]
    technology_comment: Mapped[FreeText]
    #: Prosesser 0–10
    processes: Mapped[GapScore]
    processes_comment: Mapped[FreeText]
    #: Mål og verdier 0–10
    objectives: Mapped[GapScore]
    objectives_comment: Mapped[FreeText]
    #: Bemanning og kompetanse 0–10
    staffing: Mapped[GapScore]
    staffing_comment: Mapped[FreeText]
    #: Styringssystemer og strukturer 0–10
    management: Mapped[GapScore]
    management_comment: Mapped[FreeText]
    #: Andre ressurser (tid og penger) 0–10
    resources: Mapped[GapScore]
    resources_comment: Mapped[FreeText]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), nullable=True)

    project: Mapped[Project] = relationship(backref=backref(
        "itposmo", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    updated_by: Mapped[User | None] = relationship()

    def scores(self) -> dict[str, int]:
        """Each dimension's score, in ITPOSMO order."""
        return {code: getattr(self, code) or 0 for code in ITPOSMO_DIMENSIONS}

    @property
    def total(self) -> int:
        """The sum, 0–70."""
        return sum(self.scores().values())

    @property
    def dimensions_over_limit(self) -> list[str]:
        """Codes of the dimensions above Heeks' limit of 5."""
        return [code for code, value in self.scores().items() if value > ITPOSMO_DIMENSION_LIMIT]

    @property
    def needs_warning(self) -> bool:
        """Heeks: a total above 20, or any dimension above 5, is cause for concern."""
        return self.total > ITPOSMO_TOTAL_LIMIT or bool(self.dimensions_over_limit)

    @property
    def dimensions_needing_measures(self) -> list[str]:
        """The dimensions to name in the warning: those above 5, or — when only the total
        is too high — the ones with the largest gap."""
        if self.dimensions_over_limit:
            return self.dimensions_over_limit
        if not self.needs_warning:
            return []
        top = max(self.scores().values())
        return [code for code, value in self.scores().items() if value == top]
