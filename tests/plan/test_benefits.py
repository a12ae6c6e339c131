"""The benefits tab: the benefits realisation plan, its measurements and chart, the review
before BP4, the benefits agreement at BP5, and the gate facts it feeds."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.audit.describe import describe
from app.extensions import db
from app.gates.facts import facts_for
from app.models import Project, ProjectMember
from app.models.benefit import Benefit, BenefitMeasurement, BenefitsAgreementAck, BenefitsReview
from app.plan.benefits.forms import parse_number
from app.plan.benefits.queries import plan_version
from tests.plan.core_helpers import (ACTORS, browser, cast, events, field_errors, fresh,  # noqa: F401
                                     hidden, make_project, post)
from tests.support.factories import make_user

#: the people of the permission matrix: the shared cast plus a named gevinstansvarlig
BENEFIT_ACTORS = {**ACTORS, "benefits_owner": "hilde"}
#: who may add, change and delete benefits
EDITORS = {"owner", "manager", "admin", "benefits_owner"}


@pytest.fixture()
def people(cast):
    """The shared cast plus Hilde, a line leader."""
    return {**cast, "hilde": make_user("hilde", display_name="Hilde Moe", unit="Hjemmetjenesten")}


@pytest.fixture()
def project(people):
    """A project in planning: Ola owns it, Kari leads it, Hilde is gevinstansvarlig."""
    p = make_project(people, title="Digital tilsynslogg", stage="planning", owner="ola", manager="kari")
    db.session.add(ProjectMember(project_id=p.id, user_id=people["hilde"].id, role="benefits_owner"))
    db.session.add(ProjectMember(project_id=p.id, user_id=people["nils"].id, role="member"))
    db.session.commit()
    return p


@pytest.fixture()
def as_(app, people):
    """`as_("kari")` or `as_("kari", htmx=True)`: a browser of its own, signed in."""
    from tests.plan.core_helpers import signed_in_clients

    return signed_in_clients(app, people)


def url(p, suffix: str = "") -> str:
    return f"/projects/{getattr(p, 'id', p)}/benefits{suffix}"


def benefit_data(prefix: str = "new_", **overrides) -> dict:
    data = {
        "description": "Mindre tid brukt på dokumentasjon i hjemmetjenesten",
        "kind": "quality", "indicator": "Timer brukt på dokumentasjon per måned", "unit": "timer",
        "baseline": "120", "baseline_measured_on": "2026-01-15", "target": "60", "due_on": "2026-12-31",
        "owner_username": "", "measures": "Nye rutiner og opplæring i nettbrett.",
    }
    data.update(overrides)
    return {f"{prefix}{k}": v for k, v in data.items()}


def add_benefit(project, owner=None, **fields) -> Benefit:
    values = dict(description="Mindre tid brukt på dokumentasjon", kind="quality",
                  indicator="Timer per måned", unit="timer", baseline=120.0,
                  baseline_measured_on=date(2026, 1, 15), target=60.0, due_on=date(2026, 12, 31))
    values.update(fields)
    b = Benefit(project_id=project.id, owner=owner, **values)
    db.session.add(b)
    db.session.commit()
    return b


def set_stage(project, stage: str) -> None:
    p = db.session.get(Project, project.id)
    p.stage = stage
    db.session.commit()


# --- reading -------------------------------------------------------------------------------------
def test_every_employee_reads_the_plan_without_edit_buttons(as_, project, people):
    add_benefit(project, owner=people["hilde"])
    html = as_("randi").get(url(project)).get_data(as_text=True)
    assert "Mindre tid brukt på dokumentasjon" in html and "Hilde Moe" in html
    assert "Legg til gevinsten" not in html and ">Endre<" not in html and "Registrer måling" not in html


def test_editor_sees_the_forms(as_, project, people):
    add_benefit(project, owner=people["hilde"])
    html = as_("kari").get(url(project)).get_data(as_text=True)
    assert "Legg til gevinsten" in html and "Registrer måling" in html and "/edit" in html


def test_restricted_project_is_hidden(as_, people):
    p = make_project(people, stage="planning", manager="kari", restricted=True)
    assert as_("randi").get(url(p)).status_code == 404
    assert as_("kari").get(url(p)).status_code == 200


# --- adding -----------------------------------------------------------------------------------------
def test_add_a_benefit_without_javascript(as_, project):
    client = as_("kari")
    response = post(client, url(project), benefit_data(), page=url(project))
    assert response.status_code == 303
    b = db.session.scalars(db.select(Benefit).where(Benefit.project_id == project.id)).one()
    assert response.headers["Location"].endswith(f"{url(project)}#benefit-{b.id}")
    assert (b.baseline, b.target, b.unit, b.due_on) == (120.0, 60.0, "timer", date(2026, 12, 31))
    # nobody chosen: the project's gevinstansvarlig is responsible
    assert b.owner.username == "hilde"
    assert plan_version(fresh(Project, project.id)) == 1
    [event] = events(project.id, "benefit.created")
    assert event.actor.username == "kari" and event.data["plan_version"] == 1
    assert describe(event) == "Kari Nordmann la til gevinsten «Mindre tid brukt på dokumentasjon i hjemmetjenesten»."
    assert "Gevinsten er lagt til." in client.get(url(project)).get_data(as_text=True)


def test_add_with_htmx_returns_a_fresh_form_the_card_and_the_status(as_, project):
    client = as_("kari", htmx=True)
    response = post(client, url(project), benefit_data(), page=url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="new-benefit"' in html and 'hx-swap-oob="beforeend:#benefit-list"' in html
    assert 'id="benefits-plan-status"' in html and 'hx-swap-oob="true"' in html
    assert "versjon 1" in html
    # the fresh form is empty again
    assert "Mindre tid brukt på dokumentasjon i hjemmetjenesten</textarea>" not in html.split("hx-swap-oob")[0]


def test_economic_benefit_defaults_to_kroner_and_takes_whole_kroner(as_, project):
    client = as_("ola")
    response = post(client, url(project), benefit_data(kind="economic", unit="", baseline="450 000",
                                                      target="150000,50"), page=url(project))
    assert response.status_code == 422
    assert "Økonomiske gevinster oppgis i hele kroner." in field_errors(response)
    response = post(client, url(project), benefit_data(kind="economic", unit="", baseline="450 000",
                                                      target="150 000"), page=url(project))
    assert response.status_code == 303
    b = db.session.scalars(db.select(Benefit).where(Benefit.project_id == project.id)).one()
    assert (b.unit, b.baseline, b.target) == ("kr", 450000.0, 150000.0)


def test_a_chosen_gevinstansvarlig_is_kept(as_, project):
    response = post(as_("kari"), url(project), benefit_data(owner_username="ida"), page=url(project))
    assert response.status_code == 303
    assert db.session.scalars(db.select(Benefit)).one().owner.username == "ida"


def test_validation_messages_are_norwegian_and_keep_what_was_typed(as_, project):
    client = as_("kari")
    response = post(client, url(project), benefit_data(description="  ", kind="tull", baseline="12,3,4",
                                                      baseline_measured_on="", target="abc",
                                                      due_on="31.02.2026", owner_username="finnesikke",
                                                      indicator="Min indikator"), page=url(project))
    assert response.status_code == 422
    errors = field_errors(response)
    assert "Beskriv gevinsten." in errors
    assert "Velg hvilken type gevinst det er." in errors
    assert errors.count("Skriv et tall, for eksempel 120 eller 3,5.") == 2
    assert "Skriv datoen som dd.mm.åååå, for eksempel 01.03.2025." in errors
    assert any("Fant ikke «finnesikke» i brukerkatalogen" in e for e in errors)
    html = response.get_data(as_text=True)
    for typed in ('value="12,3,4"', 'value="abc"', 'value="31.02.2026"', 'value="Min indikator"',
                  'value="finnesikke"'):
        assert typed in html
    assert db.session.scalar(db.select(db.func.count(Benefit.id))) == 0
    assert events(project.id, "benefit.created") == []


def test_nul_characters_never_reach_the_database(as_, project):
    # PostgreSQL refuses NUL in text columns: it would be a server error, not a saved benefit.
    response = post(as_("kari"), url(project), benefit_data(description="Mindre\x00 tid", measures="a\x00b"),
                    page=url(project))
    assert response.status_code == 303
    b = db.session.scalars(db.select(Benefit)).one()
    assert (b.description, b.measures) == ("Mindre tid", "ab")


def test_baseline_needs_its_date_and_the_target_date_comes_after_it(as_, project):
    response = post(as_("kari"), url(project), benefit_data(baseline_measured_on="", due_on="2025-01-01"),
                    page=url(project))
    assert response.status_code == 422
    assert "Skriv når nullpunktet ble målt." in field_errors(response)
    response = post(as_("kari"), url(project), benefit_data(due_on="2026-01-01"), page=url(project))
    assert "Datoen for målet må komme etter nullpunktsmålingen." in field_errors(response)
    response = post(as_("kari"), url(project), benefit_data(target="120"), page=url(project))
    assert "Målverdien må være forskjellig fra nullpunktet." in field_errors(response)


def test_invalid_form_with_htmx_returns_just_the_form_with_422(as_, project):
    response = post(as_("kari", htmx=True), url(project), benefit_data(description=""), page=url(project))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<div id=\"new-benefit\"") and "Beskriv gevinsten." in html


@pytest.mark.parametrize("who", sorted(BENEFIT_ACTORS))
def test_who_may_add_a_benefit(as_, project, who):
    response = post(as_(BENEFIT_ACTORS[who]), url(project), benefit_data(), page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)
    assert db.session.scalar(db.select(db.func.count(Benefit.id))) == (1 if who in EDITORS else 0)


def test_nobody_edits_a_completed_project(as_, project):
    set_stage(project, "completed")
    assert post(as_("kari"), url(project), benefit_data(), page=url(project)).status_code == 403
    assert "Legg til gevinsten" not in as_("kari").get(url(project)).get_data(as_text=True)


def test_post_without_csrf_token_is_refused(as_, project):
    response = as_("kari").post(url(project), data=benefit_data())
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Benefit.id))) == 0


# --- editing -----------------------------------------------------------------------------------------
def edit_page(client, project, b) -> str:
    return client.get(url(project, f"/{b.id}/edit"), headers={"HX-Request": "false"}).get_data(as_text=True)


def test_edit_a_benefit_bumps_the_plan_version_and_is_audited(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    client = as_("hilde")
    html = edit_page(client, project, b)
    assert hidden(html, f"b{b.id}_version") == "1"
    response = post(client, url(project, f"/{b.id}"),
                    benefit_data(f"b{b.id}_", target="50", owner_username="hilde", version="1"),
                    page=url(project))
    assert response.status_code == 303
    assert fresh(Benefit, b.id).target == 50.0
    assert plan_version(project) == 1
    [event] = events(project.id, "benefit.updated")
    assert event.data["changes"]["target"] == ["60", "50"]
    assert "målverdi fra 60 til 50" in describe(event)


def test_saving_without_changes_writes_nothing(as_, project, people):
    b = add_benefit(project, owner=people["hilde"], measures="", description="Mindre tid")
    response = post(as_("kari"), url(project, f"/{b.id}"),
                    {**benefit_data(f"b{b.id}_", description="Mindre tid", indicator="Timer per måned",
                                    measures="", owner_username="hilde"), f"b{b.id}_version": "1"},
                    page=url(project))
    assert response.status_code == 303
    assert events(project.id, "benefit.updated") == [] and plan_version(project) == 0


def test_edit_form_with_htmx_is_the_component(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    html = as_("kari", htmx=True).get(url(project, f"/{b.id}/edit")).get_data(as_text=True)
    assert html.lstrip().startswith(f'<article id="benefit-{b.id}"') and 'hx-target="this"' in html
    assert f'name="b{b.id}_owner_username"' in html and 'value="hilde"' in html


def test_second_save_of_the_same_version_is_refused_and_keeps_what_was_typed(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    kari, ola = as_("kari"), as_("ola")
    assert hidden(edit_page(kari, project, b), f"b{b.id}_version") == "1"
    assert hidden(edit_page(ola, project, b), f"b{b.id}_version") == "1"
    first = post(kari, url(project, f"/{b.id}"),
                 benefit_data(f"b{b.id}_", target="55", owner_username="hilde", version="1"), page=url(project))
    assert first.status_code == 303
    second = post(ola, url(project, f"/{b.id}"),
                  benefit_data(f"b{b.id}_", target="40", owner_username="hilde", version="1"), page=url(project))
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert "Noen andre har endret dette mens du skrev." in html
    assert "Lagret nå:" in html and "Målverdi" in html and ">55</dd>" in html
    assert f'name="b{b.id}_target" type="text" value="40"' in html or 'value="40"' in html
    assert hidden(html, f"b{b.id}_version") == "2"  # saving again overwrites, knowingly
    assert fresh(Benefit, b.id).target == 55.0
    assert len(events(project.id, "benefit.updated")) == 1


def test_edit_of_a_benefit_in_another_project_is_404(as_, project, people):
    other = make_project(people, stage="planning", manager="kari")
    b = add_benefit(other)
    assert as_("kari").get(url(project, f"/{b.id}/edit")).status_code == 404
    assert post(as_("kari"), url(project, f"/{b.id}"), benefit_data(f"b{b.id}_", version="1"),
                page=url(project)).status_code == 404
    assert as_("kari").get(url(project, "/999999/edit")).status_code == 404


def test_tampered_version_is_a_bad_request_not_a_crash(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    response = post(as_("kari"), url(project, f"/{b.id}"),
                    benefit_data(f"b{b.id}_", version="x"), page=url(project))
    assert response.status_code == 400


# --- deleting ------------------------------------------------------------------------------------------
def test_delete_a_benefit_with_its_measurements(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    db.session.add(BenefitMeasurement(benefit_id=b.id, measured_on=date(2026, 3, 1), value=110,
                                      recorded_by=people["hilde"]))
    db.session.commit()
    html = as_("kari").get(url(project)).get_data(as_text=True)
    assert 'hx-confirm="Slette gevinsten og alle målingene av den? Dette kan ikke angres."' in html
    response = post(as_("kari"), url(project, f"/{b.id}/delete"), {}, page=url(project))
    assert response.status_code == 303
    assert fresh(Benefit, b.id) is None
    assert db.session.scalar(db.select(db.func.count(BenefitMeasurement.id))) == 0
    [event] = events(project.id, "benefit.deleted")
    assert event.data["measurements"] == 1 and event.data["plan_version"] == 1
    assert describe(event) == "Kari Nordmann slettet gevinsten «Mindre tid brukt på dokumentasjon»."


def test_delete_with_htmx_removes_the_card_and_updates_the_status(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    response = post(as_("kari", htmx=True), url(project, f"/{b.id}/delete"), {}, page=url(project))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="benefit-{b.id}"' not in html and 'id="benefits-plan-status"' in html


@pytest.mark.parametrize("who", sorted(BENEFIT_ACTORS))
def test_who_may_delete_a_benefit(as_, project, people, who):
    b = add_benefit(project, owner=people["hilde"])
    response = post(as_(BENEFIT_ACTORS[who]), url(project, f"/{b.id}/delete"), {}, page=url(project))
    assert response.status_code == (303 if who in EDITORS else 403)
    assert (fresh(Benefit, b.id) is None) == (who in EDITORS)


# --- measurements -----------------------------------------------------------------------------------------
def measure(client, project, b, on, value, comment=""):
    p = f"m{b.id}_"
    return post(client, url(project, f"/{b.id}/measurements"),
                {f"{p}measured_on": on, f"{p}value": value, f"{p}comment": comment}, page=url(project))


#: who may record a measurement: the plan's editors and the benefit's own gevinstansvarlig
MEASURERS = EDITORS


@pytest.mark.parametrize("who", sorted(BENEFIT_ACTORS))
def test_who_may_record_a_measurement(as_, project, people, who):
    set_stage(project, "execution")
    b = add_benefit(project, owner=people["hilde"])
    response = measure(as_(BENEFIT_ACTORS[who]), project, b, "2026-03-01", "110")
    assert response.status_code == (303 if who in MEASURERS else 403)


def test_the_benefits_own_gevinstansvarlig_records_even_without_the_role(as_, project, people):
    set_stage(project, "realisation")
    b = add_benefit(project, owner=people["ida"])  # a line leader who is not a project member
    response = measure(as_("ida"), project, b, "2026-03-01", "110", "Første måling etter innføring.")
    assert response.status_code == 303
    m = db.session.scalars(db.select(BenefitMeasurement)).one()
    assert (m.value, m.recorded_by.username, m.comment) == (110.0, "ida", "Første måling etter innføring.")
    [event] = events(project.id, "benefit.measured")
    assert describe(event).startswith("Ida Berg registrerte en måling for «Mindre tid brukt på dokumentasjon»: 110\u00a0timer")
    # but may not change the benefit itself
    assert post(as_("ida"), url(project, f"/{b.id}/delete"), {}, page=url(project)).status_code == 403


def test_no_measurements_after_bp6(as_, project, people):
    set_stage(project, "completed")
    b = add_benefit(project, owner=people["hilde"])
    assert measure(as_("hilde"), project, b, "2026-03-01", "110").status_code == 403
    assert measure(as_("kari"), project, b, "2026-03-01", "110").status_code == 403


def test_a_large_shortfall_must_be_explained(as_, project, people):
    set_stage(project, "execution")
    b = add_benefit(project, owner=people["hilde"])  # 120 → 60 from 15 Jan to 31 Dec 2026
    # On 1 July the line expects about 91.4; 110 is only a sixth of the way.
    response = measure(as_("hilde"), project, b, "2026-07-01", "110")
    assert response.status_code == 422
    [error] = field_errors(response)
    assert error == "Forklar avviket: på denne datoen var det ventet om lag 91,4\u00a0timer, men det ble målt 110\u00a0timer."
    assert 'value="110"' in response.get_data(as_text=True)
    assert measure(as_("hilde"), project, b, "2026-07-01", "110",
                   "Opplæringen ble utsatt til august.").status_code == 303
    # on track: no comment needed
    assert measure(as_("hilde"), project, b, "2026-08-01", "85").status_code == 303


def test_measurement_validation(as_, project, people):
    set_stage(project, "execution")
    b = add_benefit(project, owner=people["hilde"])
    response = measure(as_("hilde"), project, b, "", "")
    assert response.status_code == 422
    assert field_errors(response) == ["Skriv når det ble målt.", "Skriv den målte verdien."]
    future = (date.today() + timedelta(days=40)).isoformat()
    response = measure(as_("hilde"), project, b, future, "tja")
    assert field_errors(response) == ["Datoen kan ikke være fram i tid.", "Skriv et tall, for eksempel 120 eller 3,5."]


def test_measurement_with_htmx_returns_the_card_with_the_new_point(as_, project, people):
    set_stage(project, "execution")
    b = add_benefit(project, owner=people["hilde"])
    response = measure(as_("hilde", htmx=True), project, b, "2026-03-01", "112")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<article id="benefit-{b.id}"')
    assert "Målingen er registrert." in html and 'class="benefit-chart__point"' in html


def test_delete_a_measurement(as_, project, people):
    set_stage(project, "execution")
    b = add_benefit(project, owner=people["hilde"])
    m = BenefitMeasurement(benefit_id=b.id, measured_on=date(2026, 3, 1), value=110, recorded_by=people["hilde"])
    db.session.add(m)
    db.session.commit()
    assert post(as_("randi"), url(project, f"/{b.id}/measurements/{m.id}/delete"), {},
                page=url(project)).status_code == 403
    response = post(as_("hilde"), url(project, f"/{b.id}/measurements/{m.id}/delete"), {}, page=url(project))
    assert response.status_code == 303
    assert fresh(BenefitMeasurement, m.id) is None
    [event] = events(project.id, "benefit.measurement_deleted")
    assert "slettet målingen 110\u00a0timer (1. mars 2026)" in describe(event)


# --- the chart ------------------------------------------------------------------------------------------
def test_chart_with_a_text_alternative(as_, project, people):
    b = add_benefit(project, owner=people["hilde"])
    for on, value in ((date(2026, 3, 1), 112), (date(2026, 5, 10), 95)):
        db.session.add(BenefitMeasurement(benefit_id=b.id, measured_on=on, value=value, recorded_by=people["hilde"]))
    db.session.commit()
    # amounts keep their unit on the same line: a no-break space between number and unit
    html = as_("randi").get(url(project)).get_data(as_text=True).replace("\u00a0", " ")
    sentence = "Nullpunkt 120 timer (jan. 2026), siste måling 95 timer (mai 2026), mål 60 timer innen des. 2026."
    svg = re.search(r"<svg[^>]*benefit-chart__svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and f'aria-labelledby="chart-{b.id}-title chart-{b.id}-desc"' in svg
    assert f"<desc id=\"chart-{b.id}-desc\">{sentence}</desc>" in svg
    assert svg.count('class="benefit-chart__point"') == 2
    assert 'class="benefit-chart__target"' in svg  # the dashed target line
    assert "style=" not in svg  # the strict CSP forbids inline styles
    assert sentence in html.split("</svg>")[1]  # shown as text too
    assert "<th scope=\"row\">Nullpunkt</th>" in html and "<th scope=\"row\">Mål</th>" in html


def test_large_numbers_use_norwegian_format(as_, project, people):
    add_benefit(project, owner=people["hilde"], kind="economic", unit="kr", baseline=450000.0, target=150000.0)
    html = as_("randi").get(url(project)).get_data(as_text=True)
    assert "450\u00a0000\u00a0kr" in html and ">500\u00a0000</text>" in html


def test_no_chart_until_baseline_target_and_dates_are_set(as_, project, people):
    add_benefit(project, owner=people["hilde"], baseline=None, baseline_measured_on=None, indicator="")
    html = as_("randi").get(url(project)).get_data(as_text=True)
    assert "<svg" not in html.split('class="benefit-list"')[1].split("Legg til")[0]
    assert "Diagrammet vises når dette er fylt ut: nullpunkt, når nullpunktet ble målt." in html
    assert "Ikke målbar ennå" in html


@pytest.mark.parametrize("text, value", [("120", 120.0), ("3,5", 3.5), ("1 234,5", 1234.5),
                                         ("1\u00a0234", 1234.0), ("1.234.567", 1234567.0), ("-2", -2.0),
                                         ("45 %", 45.0), ("12.5", 12.5), ("kr 450 000", 450000.0)])
def test_numbers_as_norwegians_write_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["12,3,4", "abc", "1e5", "--1", "1 000 000 000 000 000"])
def test_numbers_that_are_not(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_needs_explanation_follows_the_straight_line():
    b = Benefit(baseline=100.0, target=200.0, baseline_measured_on=date(2026, 1, 1), due_on=date(2026, 12, 31))
    mid = date(2026, 7, 2)  # half way: 150 expected
    assert b.expected_value(mid) == pytest.approx(150, abs=0.5)
    assert b.needs_explanation(mid, 120) is True     # a fifth of the way
    assert b.needs_explanation(mid, 126) is False    # just over half of the expected progress
    assert b.needs_explanation(mid, 90) is True      # the wrong way
    assert b.needs_explanation(mid, 400) is False    # ahead of plan is never a problem
    assert b.needs_explanation(date(2026, 1, 20), 100) is False  # too early to tell
    assert Benefit(baseline=1.0, target=2.0).needs_explanation(mid, 0) is False  # no dates, no line


# --- review (BP4) and agreement (BP5) ------------------------------------------------------------------
def test_review_in_execution_counts_for_the_current_version_only(as_, project, people):
    set_stage(project, "execution")
    client = as_("ola")
    post(as_("kari"), url(project), benefit_data(), page=url(project))
    assert facts_for(fresh(Project, project.id)).benefits_plan_reviewed is False
    assert "Marker gevinstplanen som gjennomgått" in client.get(url(project)).get_data(as_text=True)
    response = post(client, url(project, "/review"), {}, page=url(project))
    assert response.status_code == 303
    review = db.session.scalars(db.select(BenefitsReview)).one()
    assert (review.plan_version, review.reviewed_by.username) == (1, "ola")
    assert facts_for(fresh(Project, project.id)).benefits_plan_reviewed is True
    [event] = events(project.id, "benefits.reviewed")
    assert describe(event) == "Ola Nordmann markerte gevinstrealiseringsplanen (versjon 1) som gjennomgått."
    html = client.get(url(project)).get_data(as_text=True)
    assert "Gjennomgått" in html and "Marker gevinstplanen som gjennomgått" not in html
    # a later change to the plan needs a new review
    post(as_("kari"), url(project), benefit_data(description="Færre avvik"), page=url(project))
    assert facts_for(fresh(Project, project.id)).benefits_plan_reviewed is False
    assert "Endret etter gjennomgang" in client.get(url(project)).get_data(as_text=True)


@pytest.mark.parametrize("who, stage, allowed", [
    ("owner", "execution", True), ("manager", "execution", True), ("admin", "execution", False),
    ("benefits_owner", "execution", False), ("employee", "execution", False),
    ("owner", "planning", False), ("manager", "handover", False),
])
def test_who_may_mark_the_plan_reviewed(as_, project, people, who, stage, allowed):
    add_benefit(project, owner=people["hilde"])
    from app.plan.benefits.operations import bump_plan_version
    bump_plan_version(project)
    db.session.commit()
    set_stage(project, stage)
    response = post(as_(BENEFIT_ACTORS[who]), url(project, "/review"), {}, page=url(project))
    assert response.status_code == (303 if allowed else 403)


def test_an_empty_plan_cannot_be_reviewed(as_, project):
    set_stage(project, "execution")
    response = post(as_("ola"), url(project, "/review"), {}, page=url(project))
    assert response.status_code == 422
    assert "Planen har ingen gevinster ennå." in response.get_data(as_text=True)


def test_the_benefits_agreement_needs_every_gevinstansvarlig_and_the_owner(as_, project, people):
    post(as_("kari"), url(project), benefit_data(), page=url(project))
    set_stage(project, "handover")
    html = as_("randi").get(url(project)).get_data(as_text=True)
    assert "Hilde Moe" in html and "Ola Nordmann" in html and html.count("Ikke kvittert") >= 2
    assert "Kvitter ut gevinstavtalen" not in html
    assert "Kvitter ut gevinstavtalen" in as_("hilde").get(url(project)).get_data(as_text=True)

    assert post(as_("hilde"), url(project, "/agreement"), {}, page=url(project)).status_code == 303
    assert facts_for(fresh(Project, project.id)).benefits_agreement_acknowledged is False
    assert post(as_("ola"), url(project, "/agreement"), {}, page=url(project)).status_code == 303
    assert facts_for(fresh(Project, project.id)).benefits_agreement_acknowledged is True
    acks = db.session.scalars(db.select(BenefitsAgreementAck).order_by(BenefitsAgreementAck.id)).all()
    assert [(a.user.username, a.plan_version) for a in acks] == [("hilde", 1), ("ola", 1)]
    [event, _] = events(project.id, "benefits.agreement_acknowledged")
    assert describe(event) == "Hilde Moe kvitterte ut gevinstavtalen (versjon 1 av gevinstrealiseringsplanen)."
    # acknowledging twice adds nothing
    assert post(as_("ola"), url(project, "/agreement"), {}, page=url(project)).status_code == 303
    assert db.session.scalar(db.select(db.func.count(BenefitsAgreementAck.id))) == 2

    # a change to the plan needs new acknowledgements
    b = db.session.scalars(db.select(Benefit)).one()
    post(as_("kari"), url(project, f"/{b.id}"),
         benefit_data(f"b{b.id}_", target="50", owner_username="hilde", version="1"), page=url(project))
    assert facts_for(fresh(Project, project.id)).benefits_agreement_acknowledged is False
    assert "Må kvittere på nytt" in as_("randi").get(url(project)).get_data(as_text=True)


def test_a_new_gevinstansvarlig_must_acknowledge_too(as_, project, people):
    post(as_("kari"), url(project), benefit_data(), page=url(project))
    set_stage(project, "handover")
    for who in ("hilde", "ola"):
        post(as_(who), url(project, "/agreement"), {}, page=url(project))
    assert facts_for(fresh(Project, project.id)).benefits_agreement_acknowledged is True
    db.session.add(ProjectMember(project_id=project.id, user_id=people["ida"].id, role="benefits_owner"))
    db.session.commit()
    assert facts_for(fresh(Project, project.id)).benefits_agreement_acknowledged is False


def test_without_a_gevinstansvarlig_the_owner_alone_acknowledges(as_, people):
    p = make_project(people, stage="planning", manager="kari")
    post(as_("kari"), url(p), benefit_data(), page=url(p))
    set_stage(p, "handover")
    post(as_("ola"), url(p, "/agreement"), {}, page=url(p))
    assert facts_for(fresh(Project, p.id)).benefits_agreement_acknowledged is True


@pytest.mark.parametrize("who, stage, allowed", [
    ("owner", "handover", True), ("benefits_owner", "handover", True), ("manager", "handover", False),
    ("admin", "handover", False), ("employee", "handover", False), ("owner", "execution", False),
    ("benefits_owner", "realisation", False),
])
def test_who_may_acknowledge_the_agreement(as_, project, who, stage, allowed):
    post(as_("kari"), url(project), benefit_data(), page=url(project))
    set_stage(project, stage)
    response = post(as_(BENEFIT_ACTORS[who]), url(project, "/agreement"), {}, page=url(project))
    assert response.status_code == (303 if allowed else 403)


# --- the gate facts --------------------------------------------------------------------------------------
def test_gate_facts_from_the_benefits_plan(project, people):
    facts = facts_for(fresh(Project, project.id))
    assert (facts.benefit_count, facts.benefits_measurable, facts.has_benefit_measurements) == (0, False, False)
    assert (facts.benefits_plan_reviewed, facts.benefits_agreement_acknowledged) == (False, False)
    b1 = add_benefit(project, owner=people["hilde"])
    b2 = add_benefit(project, owner=people["hilde"], indicator="", description="Bedre kvalitet")
    facts = facts_for(fresh(Project, project.id))
    assert (facts.benefit_count, facts.benefits_measurable) == (2, False)
    b2 = fresh(Benefit, b2.id)
    b2.indicator = "Avvik per måned"
    db.session.commit()
    assert facts_for(fresh(Project, project.id)).benefits_measurable is True
    db.session.add(BenefitMeasurement(benefit_id=b1.id, measured_on=date(2026, 3, 1), value=100,
                                      recorded_by=people["hilde"]))
    db.session.commit()
    assert facts_for(fresh(Project, project.id)).has_benefit_measurements is False  # b2 not measured yet
    db.session.add(BenefitMeasurement(benefit_id=b2.id, measured_on=date(2026, 3, 1), value=4,
                                      recorded_by=people["hilde"]))
    db.session.commit()
    assert facts_for(fresh(Project, project.id)).has_benefit_measurements is True


def test_bp3_checklist_reads_the_benefits_plan(as_, project, people):
    from app.workflow import Gate
    from app.gates.services import checklist_for, answers_for

    p = fresh(Project, project.id)
    items = {e.item.key: e.state.value for e in checklist_for(p, Gate.BP3, answers_for(p, Gate.BP3)).items}
    assert items["benefits_measurable"] == "failed"
    add_benefit(project, owner=people["hilde"])
    p = fresh(Project, project.id)
    items = {e.item.key: e.state.value for e in checklist_for(p, Gate.BP3, answers_for(p, Gate.BP3)).items}
    assert items["benefits_measurable"] == "ok"
