"""The plan tab: its sections, goals and related projects, the printable documents made
from it, and the zero alternative the BP2 checklist reads."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.gates.facts import facts_for
from app.models import GateDecision, GateRequest, PlanGoal, PlanLink, Project, ProjectPlan
from app.models.base import utcnow
from app.plan.plan.queries import smart_hint
from tests.gates.flow import make_project
from tests.plan.core_helpers import (ACTORS, EDITORS, browser, cast, event_count, events,  # noqa: F401
                                     field_errors, fresh, hidden, post, project)

ZERO = "Uten prosjektet skrives rapportene for hånd, og ventetiden øker hvert år."


def plan_url(p) -> str:
    return f"/projects/{getattr(p, 'id', p)}/plan"


def section_url(p, section: str) -> str:
    return f"{plan_url(p)}/sections/{section}"


def plan_of(project_id: int) -> ProjectPlan | None:
    db.session.expire_all()
    return db.session.scalar(db.select(ProjectPlan).where(ProjectPlan.project_id == project_id))


def goals(project_id: int, kind: str | None = None) -> list[str]:
    db.session.expire_all()
    q = db.select(PlanGoal).where(PlanGoal.project_id == project_id)
    if kind:
        q = q.where(PlanGoal.kind == kind)
    return [g.text for g in db.session.scalars(q.order_by(PlanGoal.position))]


def save_background(client, p, version="0", **fields):
    data = {"version": version, "background": "Bakgrunn.", "current_situation": "I dag.",
            "zero_alternative": ZERO, **fields}
    return post(client, section_url(p, "background"), data, page=plan_url(p))


# --- reading ---------------------------------------------------------------------------------------
def test_empty_plan_reads_well_and_readers_get_no_buttons(browser, project):
    html = browser("randi").get(plan_url(project)).get_data(as_text=True)
    assert "Nullalternativet" in html and "Ikke fylt ut ennå." in html
    assert "Skriv målene SMART:" in html
    assert ">Rediger<" not in html and "Legg til effektmål" not in html and "Legg til lenke" not in html
    assert "Prosjektleder og prosjekteier skriver planen." in html


def test_editor_sees_the_edit_buttons(browser, project):
    html = browser("kari").get(plan_url(project)).get_data(as_text=True)
    # background, purpose, scope, alternatives, involvement, reporting, change control, frame
    assert html.count(">Rediger<") == 8 and "Legg til effektmål" in html and "Legg til lenke" in html
    assert "Sluttrapport</h2>" not in html  # written in the handover stage


def test_edit_form_opens_without_javascript_and_with_htmx(browser, project):
    html = browser("kari").get(f"{plan_url(project)}?edit=frame").get_data(as_text=True)
    assert 'name="financing"' in html and "<html" in html
    fragment = browser("kari", htmx=True).get(f"{section_url(project, 'frame')}?edit=1").get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and 'name="financing"' in fragment
    # a reader asking for the form gets none
    assert 'name="financing"' not in browser("randi").get(f"{plan_url(project)}?edit=frame").get_data(as_text=True)
    assert browser("randi", htmx=True).get(f"{section_url(project, 'frame')}?edit=1").status_code == 403


def test_unknown_section_is_404(browser, project):
    assert browser("kari").get(section_url(project, "nope")).status_code == 404
    assert post(browser("kari"), section_url(project, "nope"), {"version": "0"}, page=plan_url(project)).status_code == 404


# --- saving sections ---------------------------------------------------------------------------------
def test_first_save_creates_the_plan_and_is_audited(browser, project):
    r = save_background(browser("kari", htmx=True), project)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "«Bakgrunn og dagens situasjon» er lagret." in html and ZERO in html
    assert 'name="background"' not in html  # back to the text
    plan = plan_of(project.id)
    assert plan.zero_alternative == ZERO and plan.version == 1 and plan.updated_by.username == "kari"
    [event] = events(project.id, "plan.section_saved")
    assert event.data == {"section": "background",
                          "fields": ["background", "current_situation", "zero_alternative"]}
    assert describe(event) == ("Kari Nordmann endret «Bakgrunn og dagens situasjon» i planen (bakgrunn, "
                               "dagens situasjon og utfordringer, nullalternativet).")


def test_saving_without_changes_writes_no_audit_event(browser, project):
    client = browser("kari", htmx=True)
    save_background(client, project)
    r = save_background(client, project, version="1")
    assert r.status_code == 200 and "Ingen endringer å lagre." in r.get_data(as_text=True)
    assert len(events(project.id, "plan.section_saved")) == 1
    assert plan_of(project.id).version == 1


def test_save_without_javascript_redirects_to_the_section(browser, project):
    r = save_background(browser("ola"), project)
    assert r.status_code == 303 and r.headers["Location"].endswith(f"{plan_url(project)}#plan-background")


def test_frame_values_are_read_as_people_write_them(browser, project):
    r = post(browser("kari", htmx=True), section_url(project, "frame"),
             {"version": "0", "start_date": "01.04.2025", "end_date": "2026-12-31",
              "financing": "Tilskudd fra Helsedirektoratet.",
              "archive_ref": "2016/2821"}, page=plan_url(project))
    assert r.status_code == 200, field_errors(r)
    plan = plan_of(project.id)
    assert (plan.start_date, plan.end_date) == (date(2025, 4, 1), date(2026, 12, 31))
    assert plan.financing == "Tilskudd fra Helsedirektoratet." and plan.archive_ref == "2016/2821"
    assert plan.budget_nok is None  # the budget is kept per year under Økonomi


@pytest.mark.parametrize("data, message", [
    ({"archive_ref": "sak 2821"}, "Skriv saksnummeret som år/løpenummer, for eksempel 2016/2821."),
    ({"start_date": "31.02.2025"}, "Skriv datoen som dd.mm.åååå, for eksempel 01.03.2025."),
    ({"start_date": "2025-05-01", "end_date": "2025-04-01"}, "Sluttdatoen kan ikke være før startdatoen."),
])
def test_frame_validation_in_norwegian_keeps_what_was_typed(browser, project, data, message):
    typed = {"version": "0", "financing": "Egen ramme.", **data}
    r = post(browser("kari", htmx=True), section_url(project, "frame"), typed, page=plan_url(project))
    assert r.status_code == 422
    assert message in field_errors(r)
    html = r.get_data(as_text=True)
    for name, value in typed.items():
        if name != "version":
            assert value in html, name
    assert plan_of(project.id) is None


def test_text_too_long_is_refused(browser, project):
    r = post(browser("kari", htmx=True), section_url(project, "purpose"),
             {"version": "0", "purpose": "x" * 10_001}, page=plan_url(project))
    assert r.status_code == 422 and field_errors(r) == ["Teksten kan være på høyst 10000 tegn."]


def test_concurrent_edit_is_refused_and_shows_what_changed(browser, project):
    """Kari and Ola both open the background form at version 1; Ola saves first."""
    save_background(browser("kari"), project)
    kari, ola = browser("kari", htmx=True), browser("ola", htmx=True)
    form_kari = kari.get(f"{section_url(project, 'background')}?edit=1").get_data(as_text=True)
    form_ola = ola.get(f"{section_url(project, 'background')}?edit=1").get_data(as_text=True)
    assert hidden(form_kari, "version") == hidden(form_ola, "version") == "1"
    assert save_background(ola, project, version="1", zero_alternative="Olas nullalternativ, skrevet først.").status_code == 200
    r = save_background(kari, project, version="1", zero_alternative="Karis nullalternativ, skrevet etterpå.")
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Noen andre har endret dette mens du skrev." in html
    assert "Sist lagret av Ola Nordmann" in html
    assert "Dette er endret: Nullalternativet." in html
    assert "Olas nullalternativ, skrevet først." in html      # what is stored now
    assert "Karis nullalternativ, skrevet etterpå." in html   # what Kari typed, kept
    assert hidden(html, "version") == "2"                     # saving again overwrites knowingly
    assert plan_of(project.id).zero_alternative == "Olas nullalternativ, skrevet først."
    assert save_background(kari, project, version="2", zero_alternative="Karis nullalternativ, skrevet etterpå.").status_code == 200
    assert plan_of(project.id).zero_alternative == "Karis nullalternativ, skrevet etterpå."


def test_form_loaded_before_the_plan_existed_conflicts_with_the_first_save(browser, project):
    save_background(browser("ola"), project)
    r = post(browser("kari", htmx=True), section_url(project, "purpose"), {"version": "0", "purpose": "Formål."},
             page=plan_url(project))
    assert r.status_code == 409
    assert plan_of(project.id).purpose == ""


# --- goals -----------------------------------------------------------------------------------------
def test_add_edit_and_delete_goals(browser, project):
    client = browser("kari", htmx=True)
    r = post(client, f"{plan_url(project)}/goals/add/effect", {"effect_new_text": "Brukerne får riktige tjenester."},
             page=plan_url(project))
    assert r.status_code == 200 and "Nytt effektmål er lagt til." in r.get_data(as_text=True)
    post(client, f"{plan_url(project)}/goals/add/effect", {"effect_new_text": "Ventetiden er under 14 dager innen 2027."},
         page=plan_url(project))
    post(client, f"{plan_url(project)}/goals/add/result", {"result_new_text": "Ny rutine er innført innen 1. juni."},
         page=plan_url(project))
    assert goals(project.id, "effect") == ["Brukerne får riktige tjenester.", "Ventetiden er under 14 dager innen 2027."]
    assert goals(project.id, "result") == ["Ny rutine er innført innen 1. juni."]
    goal = db.session.scalar(db.select(PlanGoal).where(PlanGoal.kind == "effect").order_by(PlanGoal.position))
    html = client.get(f"{plan_url(project)}/goals?edit={goal.id}").get_data(as_text=True)
    assert 'name="goal_edit_text"' in html and "Endre målet" in html
    r = post(client, f"{plan_url(project)}/goals/{goal.id}",
             {"goal_edit_text": "Brukerne får riktige tjenester til rett tid innen 2027.", "goal_edit_version": "1"},
             page=plan_url(project))
    assert r.status_code == 200
    assert goals(project.id, "effect")[0] == "Brukerne får riktige tjenester til rett tid innen 2027."
    r = post(client, f"{plan_url(project)}/goals/{goal.id}/delete", {}, page=plan_url(project))
    assert r.status_code == 200 and "Målet er slettet." in r.get_data(as_text=True)
    assert goals(project.id, "effect") == ["Ventetiden er under 14 dager innen 2027."]
    actions = [e.action for e in events(project.id, "plan.goal_added") + events(project.id, "plan.goal_updated")
               + events(project.id, "plan.goal_deleted")]
    assert actions.count("plan.goal_added") == 3 and "plan.goal_updated" in actions and "plan.goal_deleted" in actions
    [deleted] = events(project.id, "plan.goal_deleted")
    assert describe(deleted) == ("Kari Nordmann slettet effektmål «Brukerne får riktige tjenester til rett tid "
                                 "innen 2027.».")


def test_goal_delete_asks_for_confirmation(browser, project):
    db.session.add(PlanGoal(project_id=project.id, kind="result", position=1, text="Rutinen er innført."))
    db.session.commit()
    html = browser("kari").get(plan_url(project)).get_data(as_text=True)
    assert 'hx-confirm="Vil du slette dette målet? «Rutinen er innført.»"' in html


def test_empty_goal_is_refused(browser, project):
    r = post(browser("kari", htmx=True), f"{plan_url(project)}/goals/add/result", {"result_new_text": "   "},
             page=plan_url(project))
    assert r.status_code == 422 and field_errors(r) == ["Skriv målet."]
    assert goals(project.id) == []


def test_goal_edited_by_two_people_keeps_the_first(browser, project):
    db.session.add(PlanGoal(project_id=project.id, kind="effect", position=1, text="Opprinnelig mål."))
    db.session.commit()
    goal_id = db.session.scalar(db.select(PlanGoal.id))
    first, second = browser("kari", htmx=True), browser("ola", htmx=True)
    assert post(first, f"{plan_url(project)}/goals/{goal_id}", {"goal_edit_text": "Karis mål.", "goal_edit_version": "1"},
                page=plan_url(project)).status_code == 200
    r = post(second, f"{plan_url(project)}/goals/{goal_id}", {"goal_edit_text": "Olas mål.", "goal_edit_version": "1"},
             page=plan_url(project))
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Karis mål." in html and "Olas mål." in html and "Sist lagret av Kari Nordmann" in html
    assert goals(project.id) == ["Karis mål."]


def test_goal_of_another_project_is_404(browser, project, cast):
    other = make_project(cast, title="Annet", stage="planning", manager="kari")
    db.session.add(PlanGoal(project_id=other.id, kind="effect", position=1, text="Annet mål."))
    db.session.commit()
    goal_id = db.session.scalar(db.select(PlanGoal.id))
    r = post(browser("kari"), f"{plan_url(project)}/goals/{goal_id}/delete", {}, page=plan_url(project))
    assert r.status_code == 404
    assert goals(other.id) == ["Annet mål."]
    assert post(browser("kari"), f"{plan_url(project)}/goals/add/vision", {"vision_new_text": "x"},
                page=plan_url(project)).status_code == 404


def test_smart_hint_nudges_only_goals_without_numbers_or_dates():
    assert smart_hint("Brukerne blir mer fornøyde.")
    assert smart_hint("Ventetiden er under 14 dager.") is None
    assert smart_hint("Halvering av klagene innen utgangen av året.") is None


# --- related projects ------------------------------------------------------------------------------
def test_link_a_related_project_and_remove_it(browser, project, cast):
    other = make_project(cast, title="Velferdsteknologi, fase 2", stage="execution", manager="kari")
    client = browser("kari", htmx=True)
    r = post(client, f"{plan_url(project)}/links", {"related": other.id, "note": "Felles sensorplattform"},
             page=plan_url(project))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Velferdsteknologi, fase 2" in html and "Felles sensorplattform" in html
    # the other project shows where it is referred to
    assert f"prosjekt nr. {project.id}" in browser("kari").get(plan_url(other)).get_data(as_text=True)
    link = db.session.scalar(db.select(PlanLink))
    r = post(client, f"{plan_url(project)}/links/{link.id}/delete", {}, page=plan_url(project))
    assert r.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(PlanLink.id))) == 0
    [added] = events(project.id, "plan.link_added")
    assert describe(added) == f"Kari Nordmann lenket planen til prosjekt nr. {other.id}."
    assert len(events(project.id, "plan.link_removed")) == 1


@pytest.mark.parametrize("related", ["", "0", "abc", "999999", "self", "hidden"])
def test_only_visible_projects_can_be_linked(browser, project, cast, related):
    hidden_project = make_project(cast, title="Skjermet barnevernsprosjekt", stage="planning", owner="randi",
                                  restricted=True)
    value = {"self": project.id, "hidden": hidden_project.id}.get(related, related)
    r = post(browser("kari", htmx=True), f"{plan_url(project)}/links", {"related": value}, page=plan_url(project))
    assert r.status_code == 422 and field_errors(r) == ["Velg et prosjekt fra listen."]
    assert "Skjermet barnevernsprosjekt" not in r.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(PlanLink.id))) == 0


def test_a_linked_restricted_project_keeps_its_title_hidden(browser, project, cast):
    secret = make_project(cast, title="Skjermet barnevernsprosjekt", stage="planning", owner="randi",
                          restricted=True)
    db.session.add(PlanLink(project_id=project.id, related_project_id=secret.id, note=""))
    db.session.commit()
    html = browser("kari").get(plan_url(project)).get_data(as_text=True)
    assert "Et skjermet prosjekt" in html and "Skjermet barnevernsprosjekt" not in html
    doc = browser("kari").get(f"{plan_url(project)}/styringsdokument").get_data(as_text=True)
    assert "Skjermet barnevernsprosjekt" not in doc


# --- permissions -----------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_edit_the_plan(browser, project, actor):
    client = browser(ACTORS[actor])
    before = event_count(project.id)
    r = save_background(client, project)
    g = post(client, f"{plan_url(project)}/goals/add/effect", {"effect_new_text": "Et mål innen 2027."},
             page=plan_url(project))
    if actor in EDITORS:
        assert (r.status_code, g.status_code) == (303, 303)
        assert plan_of(project.id).zero_alternative == ZERO and goals(project.id) == ["Et mål innen 2027."]
    else:
        assert (r.status_code, g.status_code) == (403, 403)
        assert plan_of(project.id) is None and goals(project.id) == []
        assert event_count(project.id) == before


def test_closed_project_plan_is_read_only(browser, cast):
    p = make_project(cast, stage="withdrawn", manager="kari")
    html = browser("kari").get(plan_url(p)).get_data(as_text=True)
    assert "Prosjektet er avsluttet, og planen kan ikke lenger endres." in html and ">Rediger<" not in html
    assert save_background(browser("kari"), p).status_code == 403


def test_post_without_csrf_token_is_refused(browser, project):
    r = browser("kari").post(section_url(project, "purpose"), data={"version": "0", "purpose": "Formål."})
    assert r.status_code == 400
    assert plan_of(project.id) is None


def test_hidden_project_plan_is_404(browser, cast):
    p = make_project(cast, stage="planning", owner="ola", restricted=True)
    for path in ("", "/prosjektforslag", "/styringsdokument", "/sluttrapport"):
        assert browser("randi").get(plan_url(p) + path).status_code == 404


# --- gate facts --------------------------------------------------------------------------------------
def test_zero_alternative_feeds_bp2(browser, cast):
    p = make_project(cast, stage="concept", manager="kari")
    assert facts_for(fresh(Project, p.id)).zero_alternative_described is False
    page = browser("kari").get(f"/projects/{p.id}/gates/BP2").get_data(as_text=True)
    assert "Nullalternativet er beskrevet" in page and f'href="/projects/{p.id}/plan"' in page
    save_background(browser("kari"), p, zero_alternative="For kort.")
    assert facts_for(fresh(Project, p.id)).zero_alternative_described is False
    plan_html = browser("kari").get(plan_url(p)).get_data(as_text=True)
    assert "Nullalternativet er ikke beskrevet ennå." in plan_html
    save_background(browser("kari"), p, version="1")
    assert facts_for(fresh(Project, p.id)).zero_alternative_described is True


# --- printable documents -------------------------------------------------------------------------
def _decide(project, cast, gate, decision, comment="", days_ago=1):
    req = GateRequest(project_id=project.id, gate=gate, status={"approve": "approved", "reject": "rejected",
                                                                  "return": "returned"}[decision],
                      summary="Se planen.", requested_by=cast["kari"], requested_at=utcnow() - timedelta(days=days_ago + 1))
    db.session.add(req)
    db.session.flush()
    db.session.add(GateDecision(request_id=req.id, decision=decision, decided_by=cast["ola"],
                                decided_at=utcnow() - timedelta(days=days_ago), comment=comment))
    db.session.commit()


def test_proposal_preview_is_a_marked_draft_with_every_section(browser, project):
    save_background(browser("kari"), project)
    r = browser("randi").get(f"{plan_url(project)}/prosjektforslag")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "UTKAST" in html and "Dette er ikke beslutningsgrunnlaget." in html
    assert "Prosjektforslag" in html and "Beslutning ved BP2" in html and ZERO in html
    assert "Ikke lagt fram for beslutning ennå." in html
    for heading in ("Bakgrunn og dagens situasjon", "Formål", "Mål", "Omfang, avgrensninger og grensesnitt",
                    "Nullalternativet og alternativene", "Gevinstrealiseringsplan", "Organisering og roller",
                    "Interessenter og kommunikasjon", "Milepæler", "Økonomi", "Usikkerhet og ITPOSMO",
                    "Personvern og informasjonssikkerhet", "Oppfølging og rapportering", "Endringsstyring"):
        assert f"</span> {heading}</h2>" in html, heading
    # Empty parts say so; nothing is silently left out.
    assert html.count("Ikke utfylt.") >= 10
    assert "Styringsgruppe" in html and "leder, prosjekteier" in html
    assert "Måloppnåelse" not in html  # the sluttrapport's own sections
    assert 'data-print hidden' in html and "js/plan-print.js" in html


def test_proposal_preview_shows_the_owners_latest_decision_but_stays_a_draft(browser, project, cast):
    save_background(browser("kari"), project)
    _decide(project, cast, "BP2", "approve", "Godt begrunnet.", days_ago=0)
    html = browser("randi").get(f"{plan_url(project)}/prosjektforslag").get_data(as_text=True)
    assert "<strong>Godkjent</strong>" in html and "av Ola Nordmann" in html and "«Godt begrunnet.»" in html
    assert "UTKAST" in html and "ikke slik det var da beslutningen ble tatt" in html


def test_final_report_preview_adds_goals_reached_lessons_and_handover(browser, cast):
    p = make_project(cast, stage="handover", manager="kari")
    html = browser("kari").get(f"{plan_url(p)}/sluttrapport").get_data(as_text=True)
    assert "Sluttrapport" in html and "Beslutning ved BP5" in html and "UTKAST" in html
    for heading in ("Måloppnåelse", "Erfaringer", "Overlevering til linjen", "Planlagt mot forbrukt"):
        assert heading in html
    plan_html = browser("kari").get(plan_url(p)).get_data(as_text=True)
    assert "Sluttrapport</h2>" in plan_html and 'id="plan-closing"' in plan_html


def test_steering_document_shows_a_pending_request(browser, project, cast):
    db.session.add(GateRequest(project_id=project.id, gate="BP3", status="pending", summary="Se planen.",
                               requested_by=cast["kari"]))
    db.session.commit()
    html = browser("ola").get(f"{plan_url(project)}/styringsdokument").get_data(as_text=True)
    assert "Venter på beslutning." in html and "Kari Nordmann" in html


# --- demo content ---------------------------------------------------------------------------------
def test_demo_content_fits_each_stage_and_loads_once(cast):
    from app.demo.plan_core import fill_roles_plan_milestones
    from app.models import Milestone

    idea = make_project(cast, title="Idé", stage="idea")
    planning = make_project(cast, title="Tillitsmodellen i hjemmetjenesten", stage="planning", manager="kari")
    running = make_project(cast, title="Digital postkasse", stage="execution", manager="kari")
    running2 = make_project(cast, title="Trygghetsalarmer", stage="execution", manager="kari")
    from tests.support.factories import make_user

    people = {**cast, "marit": make_user("marit", display_name="Marit Haugen")}
    today = date(2026, 6, 1)
    fill_roles_plan_milestones(people, today=today)
    fill_roles_plan_milestones(people, today=today)  # a second run adds nothing
    db.session.commit()

    def ms(p):
        return list(db.session.scalars(db.select(Milestone).where(Milestone.project_id == p.id)))

    assert plan_of(idea.id) is None and ms(idea) == []
    assert len(ms(planning)) == 8 and all(m.due_date > today and m.done_date is None for m in ms(planning))
    assert "Aktiv og trygg omsorg" in plan_of(planning.id).background  # the Askøy plan
    late = [m for p in (running, running2) for m in ms(p) if m.is_overdue(today)]
    assert len(late) == 1  # one of the two running projects is behind
    for p in (planning, running):
        facts = facts_for(fresh(Project, p.id))
        assert facts.zero_alternative_described and facts.milestone_count >= 7 and facts.has_benefits_owner
    assert [m.user.username for m in fresh(Project, planning.id).members if m.role == "benefits_owner"] == ["marit"]
