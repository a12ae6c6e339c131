"""The stages a project passes through, from private draft to completed, after
Prosjektveiviseren (Digdir)."""
from __future__ import annotations

from app.workflow.i18n import N_, Labelled, name_members


class Stage(Labelled):
    """Where a project stands. The value is the code stored in the database."""

    #: a private draft that only its author sees; becomes an idea when submitted
    DRAFT = "draft"
    IDEA = "idea"
    CONCEPT = "concept"
    PLANNING = "planning"
    EXECUTION = "execution"
    #: closing and handing the results over to the line organisation
    HANDOVER = "handover"
    #: the line measures the benefits after handover, until BP6
    REALISATION = "realisation"
    COMPLETED = "completed"
    #: side exit: the owner rejected it at a gate
    REJECTED = "rejected"
    #: side exit: the submitter withdrew it before BP2
    WITHDRAWN = "withdrawn"

    @property
    def description(self) -> str:
        """One Norwegian sentence or two on what happens in the stage (a message id)."""
        return _DESCRIPTIONS[self]

    @property
    def order(self) -> int:
        """Position for sorting: draft 0, idea 1 … completed 7, then rejected and withdrawn."""
        return _ORDER[self]

    @property
    def is_terminal(self) -> bool:
        """True when nothing more can happen: completed, rejected or withdrawn."""
        return self in _TERMINAL


#: Norwegian names of the stages
_LABELS: dict[Stage, str] = {
    Stage.DRAFT: N_("Kladd"),
    Stage.IDEA: N_("Idé"),
    Stage.CONCEPT: N_("Konsept"),
    Stage.PLANNING: N_("Planlegge"),
    Stage.EXECUTION: N_("Gjennomføre"),
    Stage.HANDOVER: N_("Avslutte"),
    Stage.REALISATION: N_("Realisere"),
    Stage.COMPLETED: N_("Fullført"),
    Stage.REJECTED: N_("Avvist"),
    Stage.WITHDRAWN: N_("Trukket"),
}

#: what happens in each stage, condensed from Prosjektveiviseren
_DESCRIPTIONS: dict[Stage, str] = {
    Stage.DRAFT: N_(
        "Et utkast som bare innsenderen ser. Det blir en idé når det sendes inn."
    ),
    Stage.IDEA: N_(
        "En ansatt beskriver et behov eller en idé. Foreslått prosjekteier avgjør om "
        "ideen skal utredes videre i en konseptfase."
    ),
    Stage.CONCEPT: N_(
        "Alternativer utredes, også nullalternativet. Prosjektbegrunnelse og "
        "prosjektforslag utarbeides."
    ),
    Stage.PLANNING: N_(
        "Styringsdokument, gevinstrealiseringsplan, risikoanalyse og interessentanalyse "
        "utarbeides, og en DPIA når personopplysninger behandles."
    ),
    Stage.EXECUTION: N_(
        "Prosjektet leverer, rapporterer status og behandler endringsanmodninger."
    ),
    Stage.HANDOVER: N_(
        "Sluttrapport med erfaringer skrives, og gevinstrealiseringsplanen overleveres "
        "til linjen med en gevinstavtale mellom gevinstansvarlig og prosjekteier."
    ),
    Stage.REALISATION: N_(
        "Linjen måler gevinstene mot nullpunkt og målverdier."
    ),
    Stage.COMPLETED: N_(
        "Gevinstarbeidet er fullført. Historikken kan leses, men ikke endres."
    ),
    Stage.REJECTED: N_(
        "Prosjekteier avviste saken ved et beslutningspunkt. Historikken kan leses, "
        "men ikke endres."
    ),
    Stage.WITHDRAWN: N_(
        "Innsenderen trakk forslaget. Historikken kan leses, men ikke endres."
    ),
}
name_members(Stage, _LABELS)

#: sort position of each stage (definition order)
_ORDER: dict[Stage, int] = {stage: index for index, stage in enumerate(Stage)}

#: stages in which nothing more can happen
_TERMINAL = frozenset({Stage.COMPLETED, Stage.REJECTED, Stage.WITHDRAWN})

#: the main line, in order, as shown in the phase bar (no draft, no side exits)
PHASES: tuple[Stage, ...] = (
    Stage.IDEA,
    Stage.CONCEPT,
    Stage.PLANNING,
    Stage.EXECUTION,
    Stage.HANDOVER,
    Stage.REALISATION,
    Stage.COMPLETED,
)
