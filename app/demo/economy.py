"""Demo content for the economy tab, the plan's later sections and the steering groups;
and, last of all, the decision PDFs of every past decision, made by the same code as a
real decision (app.decisions.services.freeze_decision). Deterministic, no randomness."""
from __future__ import annotations

from app.extensions import db
from app.models import GateDecision, GateRequest, Project, ProjectMember, ProjectPlan
from app.models.economy import BudgetLine, FundingSource
from app.workflow import Gate

#: leaders who sit in steering groups, by unit (the owner chairs; these are members)
_STEERING = {
    "Helse og omsorg": ("marit", "hans"),
    "Oppvekst": ("anne", "hans"),
    "Teknisk": ("eva", "geir"),
    "Økonomi": ("randi", "kristian"),
    "Rådmannens stab": ("hans", "geir"),
    "IKT": ("nils", "hans"),
}
#: stages whose plan has its sluttrapport written
_CLOSED = ("handover", "realisation", "completed")

_TEXTS = dict(
    alternatives=(
        "Tre alternativer er sammenlignet med nullalternativet:\n"
        "1. Videreutvikle dagens løsning: lav kostnad, men løser ikke hovedproblemet.\n"
        "2. Kjøpe en standardløsning sammen med nabokommunene (anbefalt): størst gevinst for "
        "kostnaden, og felles drift.\n"
        "3. Utvikle en egen løsning: passer best, men er dyrest og mest usikker."),
    reporting=(
        "Prosjektleder sender statusrapport til prosjekteier hver måned. Styringsgruppen møtes "
        "annenhver måned og ved hvert beslutningspunkt. Kommunedirektøren orienteres i "
        "tertialrapporten."),
    change_control=(
        "Prosjektleder foreslår endringer som endringsanmodning i Faseport. Prosjekteier beslutter "
        "endringer i omfang, tid og kostnad; endringer utenfor mandatet går til styringsgruppen. Alle "
        "endringer dokumenteres."),
)
_CLOSING = dict(
    goals_reached=(
        "Resultatmålene er nådd: løsningen er tatt i bruk i hele enheten, og alle berørte ansatte har "
        "fått opplæring. Effektmålene følges opp av gevinstansvarlig; de første målingene viser at "
        "vi er på vei."),
    lessons_learned=(
        "Det som gikk bra: tidlig involvering av tillitsvalgte og en pilot i én avdeling.\n"
        "Det som gikk dårligere: testmiljøet kom sent, og opplæringen tok lengre tid enn planlagt.\n"
        "Neste prosjekt bør bestille testmiljø fra IKT allerede i planleggingsfasen."),
    handover=(
        "Linjen overtar løsningen, rutinene og gevinstrealiseringsplanen. Enhetsleder har ansvaret for "
        "driften; gevinstansvarlig måler gevinstene hvert kvartal til BP6. IKT drifter løsningen etter "
        "driftsavtalen."),
)


def fill_economy_and_roles(users: dict) -> None:
    """Budget per year, financing, the plan's later sections and the steering groups."""
    plans = db.session.execute(db.select(ProjectPlan, Project).join(Project, Project.id == ProjectPlan.project_id)
                               .order_by(Project.id)).all()
    for plan, project in plans:
        for name, text in _TEXTS.items():
            setattr(plan, name, getattr(plan, name) or text)
        if project.stage in _CLOSED:
            for name, text in _CLOSING.items():
                setattr(plan, name, getattr(plan, name) or text)
        _steering_group(project, users)
        if plan.budget_nok and not db.session.execute(
                db.select(BudgetLine.id).where(BudgetLine.project_id == project.id)).first():
            _budget(project, plan)
    db.session.flush()


def _steering_group(project: Project, users: dict) -> None:
    for name in _STEERING.get(project.unit, ()):
        user = users.get(name)
        if user is None or user.id in (project.owner_id, project.manager_id):
            continue
        if not any(m.user_id == user.id and m.role == "steering_group" for m in project.members):
            project.members.append(ProjectMember(user=user, role="steering_group"))


def _budget(project: Project, plan: ProjectPlan) -> None:
    """Split the plan's total over its years: investment first, running costs growing; the
    sum stays the total the plan gave."""
    total = plan.budget_nok
    first = plan.start_date.year if plan.start_date else 2026
    last = plan.end_date.year if plan.end_date else first + 1
    years = list(range(first, max(last, first) + 1))
    operating_total = total // 5
    investment_total = total - operating_total
    for i, year in enumerate(years):
        is_last = i == len(years) - 1
        investment = investment_total - investment_total // len(years) * i if is_last else investment_total // len(years)
        operating = operating_total - operating_total // len(years) * i if is_last else operating_total // len(years)
        db.session.add(BudgetLine(project_id=project.id, year=year, investment_nok=investment,
                                  operating_nok=operating, note="Lisenser og drift" if i else "Anskaffelse og innføring"))
    grant = 300_000 if project.id % 3 == 0 else 0
    if grant:
        status = "granted" if project.stage in ("execution",) + _CLOSED else "applied"
        db.session.add(FundingSource(project_id=project.id, source="Statsforvalterens skjønnsmidler",
                                     kind="grant", amount_nok=grant, status=status))
    db.session.add(FundingSource(project_id=project.id, source=f"Rammen til {project.unit}", kind="own",
                                 amount_nok=total - grant, status="granted"))


def freeze_past_decisions() -> int:
    """Every demo decision gets its PDFs through the same code as a decision made in the
    app (the same HTML, the same rendering, the same storing), in the order they were
    made; only spread over the machine's cores. Returns how many decisions were frozen."""
    from app.decisions.services import freeze_decisions

    rows = db.session.execute(
        db.select(GateDecision, GateRequest, Project)
        .join(GateRequest, GateRequest.id == GateDecision.request_id)
        .join(Project, Project.id == GateRequest.project_id)
        .order_by(GateDecision.decided_at, GateDecision.id)).all()
    freeze_decisions([(project, Gate(request.gate), decision) for decision, request, project in rows])
    return len(rows)
