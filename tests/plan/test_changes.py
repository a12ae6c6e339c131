"""The changes tab: the prosjektleder proposes, the prosjekteier alone decides."""
from __future__ import annotations

import re
import threading

import pytest

from app.extensions import db as _db
from app.models import AuditEvent, Notification
from app.models.change_request import ChangeRequest
from tests.gates.flow import as_user, fresh, make_project  # noqa: F401 - as_user is a fixture
from tests.support.factories import CSRF_RE, csrf_token, login_as, post_form
from tests.support.live_server import live_server  # noqa: F401 - the fixture

PROPOSAL = {
    "title": "Utsette pilot i sone nord til mai",
    "description": "Piloten flyttes fra mars til mai.",
    "reason": "Leverandøren har ikke levert sensorene.",
    "scope_effect": "",
    "time_effect": "Milepæl 3 flyttes seks uker.",
    "cost_effect": "-45 000",
    "benefits_effect": "Gevinstene kommer to måneder senere.",
    "version": "",
}


@pytest.fixture()
def project(db, users):
    """In execution: ola owns it, kari leads it, ida is a plain employee."""
    return make_project(users, title="Digitalt tilsyn om natten", stage="execution",
                        submitter="kari", owner="ola", manager="kari")


def url(project, tail=""):
    return f"/projects/{project.id}/changes{tail}"


def changes_of(project) -> list[ChangeRequest]:
    _db.session.expire_all()
    return list(_db.session.execute(
        _db.select(ChangeRequest).where(ChangeRequest.project_id == project.id)
        .order_by(ChangeRequest.id)).scalars())


def events(action) -> list[AuditEvent]:
    _db.session.expire_all()
    return list(_db.session.execute(_db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def notes_for(user) -> list[Notification]:
    _db.session.expire_all()
    return list(_db.session.execute(
        _db.select(Notification).where(Notification.user_id == user.id)).scalars())


def proposed(project, users, **fields) -> ChangeRequest:
    values = {"title": "Ny integrasjon mot fagsystemet", "description": "Integrasjon mot EPJ.",
              "reason": "Dobbeltregistrering.", "proposed_by": users["kari"], "cost_effect": 120_000}
    values.update(fields)
    change = ChangeRequest(project_id=project.id, **values)
    _db.session.add(change)
    _db.session.commit()
    return change


# --- reading -----------------------------------------------------------------------------------
def test_everyone_reads_the_changes_but_only_the_right_people_get_buttons(client, project, users):
    change = proposed(project, users)
    login_as(client, users["ida"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "Ny integrasjon mot fagsystemet" in page and "+120\u00a0000\u00a0kr" in page
    assert "Foreslå en endring" not in page and "Registrer beslutningen" not in page
    assert "Rediger" not in page and "Trekk tilbake" not in page

    login_as(client, users["kari"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "Foreslå en endring" in page and "Trekk tilbake" in page
    assert "Registrer beslutningen" not in page  # the manager does not decide

    login_as(client, users["ola"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "Registrer beslutningen" in page
    single = client.get(url(project, f"/{change.id}"))
    assert single.status_code == 200 and "Ny integrasjon mot fagsystemet" in single.get_data(as_text=True)


def test_a_foreign_or_missing_change_is_404(client, project, users):
    other = make_project(users, title="Annet", stage="execution", submitter="kari", owner="ola", manager="kari")
    theirs = proposed(other, users)
    login_as(client, users["ola"])
    assert client.get(url(project, f"/{theirs.id}")).status_code == 404
    assert post_form(client, url(project, f"/{theirs.id}/decide"), {"decision": "approve", "version": "1"}).status_code == 404
    assert client.get(url(project, "/424242")).status_code == 404


# --- proposing --------------------------------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("ola", True), ("kari", True), ("admin", True),
    ("ida", False), ("per", False), ("siri", False), ("lise", False),
])
def test_who_may_propose(client, project, users, who, allowed):
    login_as(client, users[who])
    response = post_form(client, url(project), PROPOSAL)
    assert response.status_code == (303 if allowed else 403)
    assert len(changes_of(project)) == (1 if allowed else 0)


def test_a_proposal_is_stored_audited_and_sent_to_the_owner(client, project, users):
    login_as(client, users["kari"])
    response = post_form(client, url(project), PROPOSAL)
    (change,) = changes_of(project)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#change-{change.id}")
    assert change.status == "proposed" and change.cost_effect == -45_000
    assert change.proposed_by_id == users["kari"].id
    (event_,) = events("change_request.proposed")
    assert event_.object_id == change.id and event_.project_id == project.id
    (note,) = notes_for(users["ola"])
    assert "foreslår en endring" in note.text and note.url == url(project, f"/{change.id}")
    assert notes_for(users["kari"]) == []
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Kari Nordmann foreslo endringen «Utsette pilot i sone nord til mai». Virkning på kostnad: −45\u00a0000\u00a0kr." in history


def test_the_owner_proposing_does_not_notify_themselves(client, project, users):
    login_as(client, users["ola"])
    post_form(client, url(project), PROPOSAL)
    assert notes_for(users["ola"]) == []


@pytest.mark.parametrize("changes,field,message", [
    ({"title": ""}, "new-title", "Gi endringen et kort navn."),
    ({"description": " "}, "new-description", "Beskriv hva som skal endres."),
    ({"reason": ""}, "new-reason", "Forklar hvorfor endringen trengs."),
    ({"cost_effect": "mye"}, "new-cost_effect", "Skriv beløpet i hele kroner"),
    ({"cost_effect": "99 999 999 999"}, "new-cost_effect", "Beløpet er for stort."),
])
def test_bad_input_gets_a_norwegian_message_beside_the_field(client, project, users, changes, field, message):
    login_as(client, users["kari"])
    response = post_form(client, url(project), {**PROPOSAL, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>[^<]*{re.escape(message)}', page)
    assert "Leverandøren har ikke levert sensorene." in page or changes.get("reason") == ""
    assert "Milepæl 3 flyttes seks uker." in page
    assert changes_of(project) == []


@pytest.mark.parametrize("typed,stored", [
    ("150000", 150_000), ("+ 1.200.000 kr", 1_200_000), ("\u221245 000", -45_000), ("0", 0), ("", None),
])
def test_cost_is_read_as_people_write_it(client, project, users, typed, stored):
    login_as(client, users["kari"])
    assert post_form(client, url(project), {**PROPOSAL, "cost_effect": typed}).status_code == 303
    assert changes_of(project)[0].cost_effect == stored


def test_htmx_proposal_rerenders_the_panel(htmx, project, users):
    login_as(htmx, users["kari"])
    token = csrf_token(htmx, url(project))
    bad = htmx.post(url(project), data={**PROPOSAL, "title": "", "csrf_token": token})
    assert bad.status_code == 422 and 'id="changes-panel"' in bad.get_data(as_text=True)
    assert "<html" not in bad.get_data(as_text=True)
    good = htmx.post(url(project), data={**PROPOSAL, "csrf_token": token})
    body = good.get_data(as_text=True)
    assert good.status_code == 200 and "er sendt til prosjekteier" in body
    assert "Utsette pilot i sone nord til mai" in body


def test_a_post_without_csrf_token_is_refused(client, project, users):
    login_as(client, users["kari"])
    assert client.post(url(project), data=PROPOSAL).status_code == 400
    change = proposed(project, users)
    assert client.post(url(project, f"/{change.id}/decide"), data={"decision": "approve"}).status_code == 400


# --- editing and withdrawing ---------------------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("ola", True), ("kari", True), ("admin", True),
    ("ida", False), ("per", False), ("siri", False), ("lise", False),
])
def test_who_may_edit_and_withdraw_a_proposal(client, project, users, who, allowed):
    change = proposed(project, users)
    login_as(client, users[who])
    edited = post_form(client, url(project, f"/{change.id}/edit"), {**PROPOSAL, "version": "1"})
    assert edited.status_code == (303 if allowed else 403)
    assert (fresh(ChangeRequest, change.id).title == PROPOSAL["title"]) is allowed
    withdrawn = post_form(client, url(project, f"/{change.id}/delete"))
    assert withdrawn.status_code == (303 if allowed else 403)
    assert (changes_of(project) == []) is allowed


def test_editing_in_place_with_htmx(htmx, project, users):
    change = proposed(project, users)
    login_as(htmx, users["kari"])
    form = htmx.get(url(project, f"/{change.id}/edit"))
    body = form.get_data(as_text=True)
    assert body.lstrip().startswith(f'<article id="change-{change.id}"')
    assert f'id="c{change.id}-title"' in body and 'name="version" value="1"' in body
    token = csrf_token(htmx, url(project))
    saved = htmx.post(url(project, f"/{change.id}/edit"), data={**PROPOSAL, "version": "1", "csrf_token": token})
    body = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "Endringsforslaget er lagret." in body
    assert 'id="changes-summary"' in body and 'hx-swap-oob="true"' in body
    assert len(events("change_request.updated")) == 1


def test_withdrawing_asks_first_and_is_audited(client, project, users):
    change = proposed(project, users)
    login_as(client, users["kari"])
    page = client.get(url(project)).get_data(as_text=True)
    assert "hx-confirm=\"Vil du trekke tilbake endringsforslaget «Ny integrasjon mot fagsystemet»? Det slettes.\"" in page
    assert 'data-confirm="Vil du trekke tilbake' in client.get(url(project, f"/{change.id}")).get_data(as_text=True)
    post_form(client, url(project, f"/{change.id}/delete"))
    assert changes_of(project) == []
    (event_,) = events("change_request.deleted")
    assert event_.data["title"] == "Ny integrasjon mot fagsystemet"


def test_concurrent_edits_the_second_gets_409_and_keeps_its_text(project, users, as_user):  # noqa: F811
    change = proposed(project, users)
    kari, ola = as_user("kari"), as_user("ola")
    first = post_form(kari, url(project, f"/{change.id}/edit"), {**PROPOSAL, "title": "Karis tittel", "version": "1"})
    second = post_form(ola, url(project, f"/{change.id}/edit"), {**PROPOSAL, "title": "Olas tittel", "version": "1"})
    page = second.get_data(as_text=True)
    assert first.status_code == 303 and second.status_code == 409
    assert "Noen andre har endret dette mens du skrev." in page
    assert "Karis tittel" in page and 'value="Olas tittel"' in page
    assert fresh(ChangeRequest, change.id).title == "Karis tittel"


# --- deciding --------------------------------------------------------------------------------
@pytest.mark.parametrize("who,allowed", [
    ("ola", True),     # the owner alone decides
    ("kari", False), ("admin", False), ("ida", False), ("per", False), ("siri", False), ("lise", False),
])
def test_only_the_owner_decides(client, project, users, who, allowed):
    change = proposed(project, users)
    login_as(client, users[who])
    response = post_form(client, url(project, f"/{change.id}/decide"), {"decision": "approve", "version": "1"})
    assert response.status_code == (303 if allowed else 403)
    assert fresh(ChangeRequest, change.id).status == ("approved" if allowed else "proposed")


def test_approval_is_recorded_audited_and_told_to_the_manager(client, project, users):
    change = proposed(project, users)
    login_as(client, users["ola"])
    response = post_form(client, url(project, f"/{change.id}/decide"),
                         {"decision": "approve", "comment": "Greit, innenfor rammen.", "version": "1"})
    assert response.status_code == 303
    decided = fresh(ChangeRequest, change.id)
    assert (decided.status, decided.decided_by_id, decided.decision_comment) == (
        "approved", users["ola"].id, "Greit, innenfor rammen.")
    assert decided.decided_at is not None and decided.version == 2
    assert len(events("change_request.approved")) == 1
    (note,) = notes_for(users["kari"])
    assert "godkjente endringen «Ny integrasjon mot fagsystemet»" in note.text
    page = client.get(url(project)).get_data(as_text=True)
    assert "Godkjent av Ola Nordmann" in page and "Registrer beslutningen" not in page
    assert "De godkjente endringene øker kostnaden med +120\u00a0000\u00a0kr." in page
    history = client.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Ola Nordmann godkjente endringen «Ny integrasjon mot fagsystemet». Begrunnelse: «Greit, innenfor rammen.»" in history


def test_a_rejection_needs_a_reason(client, project, users):
    change = proposed(project, users)
    login_as(client, users["ola"])
    response = post_form(client, url(project, f"/{change.id}/decide"), {"decision": "reject", "comment": " ", "version": "1"})
    assert response.status_code == 422
    assert "Skriv hvorfor du avviser endringen." in response.get_data(as_text=True)
    missing = post_form(client, url(project, f"/{change.id}/decide"), {"comment": "Hm", "version": "1"})
    assert missing.status_code == 422 and "Velg Godkjenn eller Avvis." in missing.get_data(as_text=True)
    assert 'Hm</textarea>' in missing.get_data(as_text=True)
    assert fresh(ChangeRequest, change.id).status == "proposed"
    ok = post_form(client, url(project, f"/{change.id}/decide"),
                   {"decision": "reject", "comment": "Ikke rom i budsjettet.", "version": "1"})
    assert ok.status_code == 303 and fresh(ChangeRequest, change.id).status == "rejected"
    assert len(events("change_request.rejected")) == 1


def test_a_decided_change_is_part_of_the_record_and_cannot_be_changed(client, project, users):
    change = proposed(project, users)
    login_as(client, users["ola"])
    post_form(client, url(project, f"/{change.id}/decide"), {"decision": "approve", "version": "1"})
    login_as(client, users["kari"])
    for response in (client.get(url(project, f"/{change.id}/edit")),
                     post_form(client, url(project, f"/{change.id}/edit"), {**PROPOSAL, "version": "2"}),
                     post_form(client, url(project, f"/{change.id}/delete"))):
        assert response.status_code == 409
        assert "Endringen er allerede godkjent av Ola Nordmann" in response.get_data(as_text=True)
    assert fresh(ChangeRequest, change.id).title == "Ny integrasjon mot fagsystemet"


def test_the_second_decision_gets_409_saying_what_was_decided(app, project, users):
    from tests.gates.flow import BrowserClient

    change = proposed(project, users)
    first_tab, second_tab = (BrowserClient(app, app.response_class, use_cookies=True) for _ in range(2))
    for tab in (first_tab, second_tab):  # the owner has the page open in two tabs
        login_as(tab, users["ola"])
        assert "Registrer beslutningen" in tab.get(url(project)).get_data(as_text=True)
    approve = post_form(first_tab, url(project, f"/{change.id}/decide"), {"decision": "approve", "version": "1"})
    reject = post_form(second_tab, url(project, f"/{change.id}/decide"),
                       {"decision": "reject", "comment": "Nei.", "version": "1"})
    assert approve.status_code == 303
    assert reject.status_code == 409
    assert "Endringen er allerede godkjent av Ola Nordmann" in reject.get_data(as_text=True)
    assert fresh(ChangeRequest, change.id).status == "approved"
    assert len(events("change_request.approved")) == 1 and events("change_request.rejected") == []


def test_a_decision_on_a_proposal_edited_meanwhile_is_refused(project, users, as_user):  # noqa: F811
    change = proposed(project, users)
    post_form(as_user("kari"), url(project, f"/{change.id}/edit"), {**PROPOSAL, "cost_effect": "900 000", "version": "1"})
    response = post_form(as_user("ola"), url(project, f"/{change.id}/decide"), {"decision": "approve", "version": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ble endret mens du leste det" in page and "+900\u00a0000\u00a0kr" in page
    assert fresh(ChangeRequest, change.id).status == "proposed"


def test_two_simultaneous_decisions_exactly_one_wins(app, db, users, live_server):  # noqa: F811
    """Real concurrent requests against the threaded server, released together."""
    from tests.gates.flow import BrowserClient

    project = make_project(users, title="Kappløp", stage="execution", submitter="kari", owner="ola", manager="kari")
    for _round in range(4):
        change = proposed(project, users, title=f"Endring {_round}")
        tabs = []
        for _ in range(2):
            client = BrowserClient(app, app.response_class, use_cookies=True)
            login_as(client, users["ola"])
            html = client.get(url(project)).get_data(as_text=True)
            cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
            tabs.append((cookie, CSRF_RE.search(html).group(1)))
        barrier = threading.Barrier(2)
        results: list[int] = [0, 0]
        target = f"{live_server.url}{url(project, f'/{change.id}/decide')}"  # no ORM in the threads
        cookie_name = app.config["SESSION_COOKIE_NAME"]

        def decide(i, decision):
            import urllib.error
            import urllib.parse
            import urllib.request

            cookie, token = tabs[i]
            data = urllib.parse.urlencode({"decision": decision, "comment": "Begrunnelse", "version": "1",
                                           "csrf_token": token}).encode()
            request = urllib.request.Request(target, data=data, headers={
                "Cookie": f"{cookie_name}={cookie}", "HX-Request": "true"})
            barrier.wait()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    results[i] = response.status
            except urllib.error.HTTPError as error:
                results[i] = error.code

        threads = [threading.Thread(target=decide, args=(0, "approve")),
                   threading.Thread(target=decide, args=(1, "reject"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [200, 409], results
        final = fresh(ChangeRequest, change.id)
        assert final.status == ("approved" if results[0] == 200 else "rejected")
        decided_events = [e for e in events("change_request.approved") + events("change_request.rejected")
                          if e.object_id == change.id]
        assert len(decided_events) == 1


def test_nobody_proposes_or_decides_on_a_withdrawn_project(client, project, users):
    change = proposed(project, users)
    project.stage = "withdrawn"
    _db.session.commit()
    login_as(client, users["ola"])
    assert post_form(client, url(project), PROPOSAL).status_code == 403
    assert post_form(client, url(project, f"/{change.id}/decide"), {"decision": "approve", "version": "1"}).status_code == 403


def test_editing_without_javascript_shows_the_tab_with_the_card_open(client, project, users):
    change = proposed(project, users)
    login_as(client, users["kari"])
    page = client.get(url(project, f"/{change.id}/edit")).get_data(as_text=True)
    assert "<html" in page and 'id="changes-panel"' in page
    assert f'id="c{change.id}-title"' in page and 'id="new-title"' in page  # no duplicate ids
    assert "Lagre endringsforslaget" in page
