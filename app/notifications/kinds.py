"""Every kind of notification, grouped into the topics a person chooses delivery for.

A *kind* is what `notify()` stores on a notification (`gate_requested`, `role_assigned`,
`reminder_milestone` …). A *topic* is how a person sees them on the profile page
("Beslutninger du skal ta", "Milepæler" …) and chooses, per topic, one of DELIVERIES:
an e-mail at once, the daily digest (one e-mail each morning), or only the bell.

The defaults follow the issue: immediately for decisions asked of you, the digest for
the rest. A kind missing here falls into the "other" topic (digest), so a new kind can
never go unmailed by accident.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

#: how a notification reaches its person, besides the bell (which always shows it)
DELIVERIES = ("immediate", "digest", "bell")
DELIVERY_LABELS = {"immediate": _l("E-post med en gang"), "digest": _l("Daglig oppsummering"),
                   "bell": _l("Bare i Faseport")}


@dataclass(frozen=True)
class Topic:
    code: str
    label: object
    #: one sentence on what it covers (shown under the label)
    description: object
    default: str
    #: the tag shown beside a notification in the list
    tag: object
    #: the notification kinds it covers
    kinds: tuple[str, ...] = ()


TOPICS: tuple[Topic, ...] = (
    Topic("decisions", _l("Beslutninger du skal ta"),
          _l("Beslutningspunkter, nye ideer og endringsforslag som venter på at du bestemmer deg, "
             "og påminnelser når de har ventet lenge."), "immediate", _l("Beslutning"),
          ("gate_requested", "idea_submitted", "change_proposed", "owner_transferred", "reminder_gate")),
    Topic("agreements", _l("Gevinstavtaler du skal kvittere ut"),
          _l("Når en gevinstavtale venter på at du kvitterer for den."), "immediate", _l("Gevinstavtale"),
          ("agreement_waiting",)),
    Topic("roles", _l("Roller du får"),
          _l("Når noen gjør deg til prosjekteier, prosjektleder, gevinstansvarlig, medlem av "
             "styringsgruppen eller gir deg en annen rolle i et prosjekt."), "digest", _l("Rolle"),
          ("role_assigned", "benefit_assigned")),
    Topic("outcomes", _l("Beslutninger som er tatt"),
          _l("Utfallet av beslutningspunkter og endringsforslag i prosjektene dine."), "digest",
          _l("Beslutning tatt"), ("gate_decided", "change_decided")),
    Topic("tasks", _l("IKT-oppgaver"),
          _l("Nye IKT-oppgaver og oppgaver du blir satt som ansvarlig for."), "digest", _l("IKT"),
          ("task_created", "task_assigned")),
    Topic("privacy", _l("Personvern (DPIA)"),
          _l("Prosjekter som trenger en personvernkonsekvensvurdering, og påminnelser før BP3."),
          "digest", _l("Personvern"), ("dpia_needed", "reminder_dpia")),
    Topic("milestones", _l("Milepæler"),
          _l("Milepæler du blir ansvarlig for, og påminnelser når fristen nærmer seg eller er passert."),
          "digest", _l("Milepæl"), ("milestone_assigned", "reminder_milestone")),
    Topic("status", _l("Statusrapporter"),
          _l("Publiserte statusrapporter, og påminnelser når en rapport skal leveres."), "digest",
          _l("Status"), ("status_published", "reminder_status")),
    Topic("benefits", _l("Gevinstmålinger"),
          _l("Påminnelser når en gevinst skal måles etter måleplanen."), "digest", _l("Gevinst"),
          ("reminder_measurement",)),
    Topic("portfolio", _l("Prosjekter uten eier eller leder"),
          _l("Når prosjekteieren eller prosjektlederen i et prosjekt har sluttet."), "digest",
          _l("Portefølje"), ("leader_left",)),
    Topic("other", _l("Annet"), _l("Andre varsler om prosjektene dine."), "digest", _l("Varsel")),
)
TOPIC_BY_CODE = {t.code: t for t in TOPICS}
#: notification kind → topic
KIND_TOPICS = {kind: t.code for t in TOPICS for kind in t.kinds}


def topic_of(kind: str) -> Topic:
    """The topic a notification kind belongs to ("other" for one not listed)."""
    return TOPIC_BY_CODE[KIND_TOPICS.get(kind, "other")]


def is_reminder(kind: str) -> bool:
    return kind.startswith("reminder_")
