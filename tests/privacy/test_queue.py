"""The privacy queue (/personvern): who may use it, its order, and recording the DPIA."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AuditEvent
from app.models.task import PrivacyAssessment
from app.plan.tasks.queries import tasks_facts
from tests.gates.flow import fresh, make_project
from tests.support.factories import post_form


def titles(response) -> list[str]:
    """The project titles of the queue's table, in order."""
    assert response.status_code == 200, response.status_code
    return re.findall(r'class="dpia-row__title">\s*<a[^>]*>([^<]+)</a>', response.get_data(as_text=True))


def assess(client, project, status="under_arbeid", comment="DPIA er startet.", version="", **kwargs):
    return post_form(client, f"/personvern/{project.id}/vurdering",
                     {"dpia_status": status, "comment": comment, "version": version, "back": "/personvern"},
                     page="/profile", **kwargs)


def assessed(project, status, users, comment=""):
    db.session.add(PrivacyAssessment(project_id=project.id, dpia_status=status, comment=comment,
                                     updated_by=users["siri"]))
    db.session.commit()


@pytest.fixture()
def project(users):
    return make_project(users, title="Digitale arbeidslister", stage="planning", manager="kari",
                        personal_data="yes")


# --- access ------------------------------------------------------------------------------------
@pytest.mark.parametrize("who, allowed", [("siri", True), ("admin", True), ("per", False), ("lise", False),
                                          ("ida", False), ("kari", False)])
def test_queue_is_for_personvern_and_admins(as_user, users, project, who, allowed):
    client = as_user(who)
    response = client.get("/personvern")
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert titles(response) == ["Digitale arbeidslister"]
    assert client.get(f"/personvern/{project.id}/vurdering").status_code == (200 if allowed else 403)
    saving = assess(client, project)
    assert saving.status_code == (303 if allowed else 403)
    stored = db.session.execute(db.select(PrivacyAssessment)).scalar_one_or_none()
    assert (stored is not None) is allowed


def test_the_menu_shows_the_queue_to_personvern_only(as_user, users):
    assert 'href="/personvern"' in as_user("siri").get("/").get_data(as_text=True)
    assert 'href="/personvern"' not in as_user("per").get("/").get_data(as_text=True)


def test_signed_out_goes_to_sign_in(client, users):
    response = client.get("/personvern")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- what it lists, in which order -------------------------------------------------------------
def test_lists_projects_with_personal_data_the_pressing_ones_first(as_user, users):
    make = lambda title, **kw: make_project(users, title=title, manager=kw.pop("manager", "kari"), **kw)  # noqa: E731
    settled = make("B Planlegging, DPIA ferdig", stage="planning", personal_data="yes")
    assessed(settled, "ferdig", users)
    not_needed = make("A Konsept, ikke nødvendig", stage="concept", personal_data="unknown")
    assessed(not_needed, "ikke_nodvendig", users)
    make("Z Planlegging uten DPIA", stage="planning", personal_data="yes")
    in_work = make("Y Konsept, under arbeid", stage="concept", personal_data="unknown")
    assessed(in_work, "under_arbeid", users)
    make("X Gjennomføring uten DPIA", stage="execution", personal_data="yes")
    make("W Idé, vet ikke", stage="idea", personal_data="unknown", manager=None)
    # Left out: no personal data (restricted or not), closed, drafts.
    make("Ingen personopplysninger", stage="planning", personal_data="no")
    make("Skjermet uten personopplysninger", stage="planning", personal_data="no", restricted=True)
    for stage in ("draft", "withdrawn", "rejected", "completed"):
        make(f"Utenfor ({stage})", stage=stage, personal_data="yes")
    # A restricted project with personal data is hers too: its DPIA must be cleared.
    make("Skjermet barnevern", stage="planning", personal_data="yes", restricted=True)

    assert titles(as_user("siri").get("/personvern")) == [
        "Skjermet barnevern",           # nearing BP3 without a DPIA: planning before concept
        "Z Planlegging uten DPIA",
        "Y Konsept, under arbeid",
        "X Gjennomføring uten DPIA",    # other unsettled ones, furthest along first
        "W Idé, vet ikke",
        "B Planlegging, DPIA ferdig",   # settled ones last
        "A Konsept, ikke nødvendig",
    ]
    html = as_user("siri").get("/personvern").get_data(as_text=True)
    assert "3 prosjekter i konsept- eller planleggingsfasen har ikke avklart DPIA." in html
    assert html.count("Nærmer seg BP3 uten avklart DPIA") == 3
    assert "Ikke vurdert" in html and "Under arbeid" in html
    # Administrators see the restricted one too.
    assert "Skjermet barnevern" in titles(as_user("admin").get("/personvern"))


def test_filters(as_user, users):
    a = make_project(users, title="Planlegging", stage="planning", manager="kari", personal_data="yes")
    b = make_project(users, title="Gjennomføring", stage="execution", manager="kari", personal_data="yes")
    assessed(b, "ferdig", users)
    siri = as_user("siri")
    assert titles(siri.get("/personvern?dpia=open")) == ["Planlegging"]
    assert titles(siri.get("/personvern?dpia=ferdig")) == ["Gjennomføring"]
    assert titles(siri.get("/personvern?dpia=ikke_vurdert")) == ["Planlegging"]
    assert titles(siri.get("/personvern?stage=execution")) == ["Gjennomføring"]
    assert titles(siri.get("/personvern?q=gjennom")) == ["Gjennomføring"]
    assert titles(siri.get(f"/personvern?q={a.id}")) == ["Planlegging"]
    assert len(titles(siri.get("/personvern?dpia=tull&stage=draft&page=x"))) == 2
    htmx = siri.get("/personvern?dpia=open&stage=&q=", headers={"HX-Request": "true"})
    assert htmx.get_data(as_text=True).lstrip().startswith('<section id="privacy-projects"')
    assert htmx.headers["HX-Push-Url"] == "/personvern?dpia=open"


def test_query_count_does_not_grow_with_the_number_of_projects(as_user, users, project, count_queries):
    siri = as_user("siri")
    siri.get("/personvern")
    few = count_queries(lambda: siri.get("/personvern"))
    for i in range(25):
        p = make_project(users, title=f"P{i}", stage="concept", manager="kari", personal_data="yes")
        if i % 2:
            assessed(p, "pakrevd", users, comment="Må gjøres.")
    many = count_queries(lambda: siri.get("/personvern"))
    assert few == many, (few, many)


# --- recording the assessment --------------------------------------------------------------------
def test_record_an_assessment(as_user, users, project):
    siri = as_user("siri")
    response = assess(siri, project, "pakrevd", "DPIA må være ferdig før BP3.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/personvern#dpia-{project.id}")

    stored = db.session.execute(db.select(PrivacyAssessment)).scalar_one()
    assert (stored.dpia_status, stored.comment, stored.updated_by_id) == (
        "pakrevd", "DPIA må være ferdig før BP3.", users["siri"].id)
    [event] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "privacy.assessed")).scalars()
    assert (event.actor_id, event.project_id, event.data["dpia_status"]) == (users["siri"].id, project.id, "pakrevd")
    assert tasks_facts(fresh(type(project), project.id)) == {"dpia_status": "pakrevd"}
    page = siri.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vurderingen av «Digitale arbeidslister» er lagret: Påkrevd." in page
    # The same assessment shows on the project's tasks tab.
    assert "DPIA må være ferdig før BP3." in siri.get(f"/projects/{project.id}/tasks").get_data(as_text=True)

    # Updating needs the version it was loaded with.
    again = assess(siri, project, "ferdig", "Ferdig og signert.", version=stored.version)
    assert again.status_code == 303
    assert fresh(PrivacyAssessment, stored.id).dpia_status == "ferdig"


def test_htmx_opens_the_form_in_the_row_and_saves_there(as_user, users, project):
    siri = as_user("siri")
    form = siri.get(f"/personvern/{project.id}/vurdering", headers={"HX-Request": "true"})
    html = form.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tbody id="dpia-{project.id}"') and "<html" not in html
    assert 'name="dpia_status"' in html and "Lagre vurderingen" in html

    saved = assess(siri, project, "ikke_nodvendig", "Ingen personopplysninger likevel.",
                   headers={"HX-Request": "true"})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and html.lstrip().startswith(f'<tbody id="dpia-{project.id}"')
    assert "er lagret: Ikke nødvendig." in html and 'name="dpia_status"' not in html

    cancel = siri.get(f"/personvern/{project.id}", headers={"HX-Request": "true"})
    assert cancel.status_code == 200 and 'name="dpia_status"' not in cancel.get_data(as_text=True)


def test_without_javascript_the_form_is_a_page_of_its_own(as_user, users, project):
    response = as_user("siri").get(f"/personvern/{project.id}/vurdering?back=/personvern%3Fdpia%3Dopen")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert "Personvernvurdering" in html and 'value="/personvern?dpia=open"' in html


def test_invalid_status_is_422_and_keeps_the_comment(as_user, users, project):
    response = assess(as_user("siri"), project, "kanskje", "Min lange kommentar", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Velg en status for DPIA." in html and "Min lange kommentar" in html
    assert db.session.execute(db.select(PrivacyAssessment)).first() is None


def test_two_officers_at_once_the_second_gets_409(as_user, users, project):
    """Both opened the form before any assessment existed; the first save wins."""
    assert assess(as_user("siri"), project, "pakrevd", "Først.").status_code == 303
    late = assess(as_user("admin"), project, "ferdig", "Etterpå.", headers={"HX-Request": "true"})
    html = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Siri Lie har nettopp lagret «Påkrevd» – «Først.»." in html and "Etterpå." in html
    assert db.session.execute(db.select(PrivacyAssessment)).scalar_one().dpia_status == "pakrevd"


def test_stale_version_is_409(as_user, users, project):
    assessed(project, "pakrevd", users)
    stored = db.session.execute(db.select(PrivacyAssessment)).scalar_one()
    seen = stored.version
    assert assess(as_user("siri"), project, "under_arbeid", version=seen).status_code == 303
    late = assess(as_user("admin"), project, "ferdig", version=seen)
    assert late.status_code == 409 and "<html" in late.get_data(as_text=True)
    assert fresh(PrivacyAssessment, stored.id).dpia_status == "under_arbeid"


def test_without_csrf_is_refused(as_user, users, project):
    response = as_user("siri").post(f"/personvern/{project.id}/vurdering",
                                    data={"dpia_status": "ferdig", "comment": "", "version": ""})
    assert response.status_code == 400
    assert db.session.execute(db.select(PrivacyAssessment)).first() is None


def test_hidden_closed_and_missing_projects(as_user, users):
    secret = make_project(users, title="Skjermet", stage="planning", personal_data="no", restricted=True)
    closed = make_project(users, title="Fullført", stage="completed", personal_data="yes")
    draft = make_project(users, title="Kladd", stage="draft", personal_data="yes")
    siri = as_user("siri")
    assert assess(siri, secret).status_code == 404  # restricted and no personal data: not hers
    assert assess(siri, draft).status_code == 404
    assert siri.get("/personvern/99999/vurdering").status_code == 404
    assert assess(siri, closed).status_code == 403  # history: no longer assessed here
    assert assess(as_user("admin"), secret).status_code == 303


def test_back_never_leads_off_the_queue(as_user, users, project):
    response = post_form(as_user("siri"), f"/personvern/{project.id}/vurdering",
                         {"dpia_status": "ferdig", "comment": "", "version": "", "back": "//evil.example/"},
                         page="/profile")
    assert response.status_code == 303
    assert "evil" not in response.headers["Location"]
