"""Ny idé: the form, private drafts, "Send inn", validation beside the field."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Project, User
from tests.gates.flow import NEED, audit_actions, fresh, notifications_for
from tests.support.factories import csrf_token, post_form

#: every field of the form and its Norwegian label
LABELS = {
    "title": "Tittel",
    "need": "Behov eller problem",
    "proposed_solution": "Forslag til løsning",
    "expected_benefits": "Forventede gevinster",
    "affected": "Hvem berøres",
    "unit": "Enhet",
    "owner_username": "Foreslått prosjekteier",
}
RADIOS = {"personal_data": "Behandles personopplysninger?", "needs_ikt": "Trengs hjelp fra IKT?"}


def idea_data(**overrides) -> dict:
    data = {
        "action": "submit",
        "title": "Digitale arbeidslister",
        "need": NEED,
        "proposed_solution": "Arbeidslistene vises på nettbrett.",
        "expected_benefits": "Spart tid hver morgen.",
        "affected": "Ansatte i hjemmetjenesten.",
        "unit": "Helse og omsorg",
        "owner_username": "ola",
        "personal_data": "yes",
        "needs_ikt": "no",
    }
    data.update(overrides)
    return data


def projects() -> list[Project]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Project).order_by(Project.id)))


def field_error(html: str, name: str) -> str:
    """The text in the error slot beside a field ('' when the slot is empty)."""
    match = re.search(rf'<div id="{name}-error"[^>]*>(.*?)</div>\s*(</div>|</fieldset>|<div class="people)',
                      html, re.S)
    assert match, f"no error slot for {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_form_shows_every_field_with_its_norwegian_label(as_user):
    html = as_user("ida").get("/ideas/new").get_data(as_text=True)

    for name, label in LABELS.items():
        assert re.search(rf'<label class="ds-label" for="{name}">{re.escape(label)}', html), name
    for name, legend in RADIOS.items():
        assert f"<legend class=\"ds-label\">{legend}</legend>" in html
        for value, text in (("yes", "Ja"), ("no", "Nei"), ("unknown", "Vet ikke")):
            assert re.search(rf'name="{name}" type="radio" value="{value}"> <label[^>]*>{text}<', html)
    assert ">Send inn<" in html and ">Lagre som kladd<" in html


def test_form_defaults_to_my_unit_and_my_leader_as_proposed_owner(as_user):
    html = as_user("ida").get("/ideas/new").get_data(as_text=True)

    assert re.search(r'id="unit"[^>]*value="Helse og omsorg"', html)
    # The picker shows her leader by name; the username travels in the hidden field.
    assert re.search(r'id="owner_username"[^>]*value="Ola Nordmann"', html)
    assert re.search(r'name="owner_username-username"[^>]*value="ola"', html)
    # "Vet ikke" is preselected for the two questions
    assert re.search(r'checked class="ds-input" id="personal_data-2"', html)


def test_inline_validation_is_wired_to_htmx_and_fields_are_not_marked_invalid(as_user):
    """htmx only reads hx-* attributes; an empty form must not tell screen readers every
    field is invalid."""
    html = as_user("ida").get("/ideas/new").get_data(as_text=True)
    start = html.index('<form id="idea-form"')
    form = html[start:html.index("</form>", start)]

    assert 'hx-post="/ideas/validate?field=title"' in form
    assert 'hx-target="#title-error"' in form
    assert "hx_post" not in form
    for name in ("title", "need", "proposed_solution", "expected_benefits", "affected", "unit",
                 "owner_username"):
        tag = re.search(rf'<(input|textarea)[^>]*id="{name}"[^>]*>', form).group(0)
        assert "aria-invalid" not in tag and 'rows="None"' not in tag, tag
    assert '="None"' not in form


def test_save_as_draft_keeps_a_private_draft(as_user, users):
    ida = as_user("ida")
    response = post_form(ida, "/ideas/new", idea_data(action="draft", title="Halvferdig idé", need=""),
                         page="/ideas/new")

    [draft] = projects()
    assert draft.stage == "draft" and draft.title == "Halvferdig idé"
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideas/{draft.id}/edit")
    # The author gets it back as she left it.
    page = ida.get(f"/ideas/{draft.id}/edit").get_data(as_text=True)
    assert 'value="Halvferdig idé"' in page
    assert "Arbeidslistene vises på nettbrett." in page
    # Nobody else sees it, and it is not listed with the submitted ideas.
    for name in ("ola", "admin", "lise"):
        other = as_user(name)
        assert other.get(f"/ideas/{draft.id}/edit").status_code == 404
        assert other.get(f"/projects/{draft.id}").status_code == 404
        assert "Halvferdig idé" not in other.get("/projects/").get_data(as_text=True)
    assert "Halvferdig idé" not in ida.get("/projects/").get_data(as_text=True)
    assert "Halvferdig idé" in ida.get("/").get_data(as_text=True)  # on her own Mitt page
    # A draft tells nobody anything.
    assert notifications_for(users["ola"]) == []


def test_send_inn_creates_the_idea_at_its_own_address(as_user, users):
    ida = as_user("ida")
    response = post_form(ida, "/ideas/new", idea_data(), page="/ideas/new")

    [idea] = projects()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/projects/{idea.id}")
    assert idea.stage == "idea"
    assert idea.submitted_by.username == "ida" and idea.owner.username == "ola"
    assert (idea.personal_data, idea.needs_ikt) == ("yes", "no")
    assert idea.submitted_at is not None
    assert "idea.submitted" in audit_actions(idea.id)

    # "Send inn" is the request for BP1: it waits for the owner at once.
    [request] = idea.gate_requests
    assert (request.gate, request.status, request.requested_by.username) == ("BP1", "pending", "ida")
    assert "gate.requested" in audit_actions(idea.id)
    [to_owner] = notifications_for(users["ola"], "idea_submitted")
    assert "Digitale arbeidslister" in to_owner.text and "venter på din beslutning" in to_owner.text
    assert to_owner.url == f"/projects/{idea.id}/gates/BP1"
    # Never a notification for what you did yourself (issue 13): no receipt to ida.
    assert notifications_for(users["ida"]) == []

    page = ida.get(f"/projects/{idea.id}").get_data(as_text=True)
    assert "Ideen er sendt inn" in page
    assert "Digitale arbeidslister" in page and "Idé" in page
    # Everyone can read a submitted idea.
    assert as_user("per").get(f"/projects/{idea.id}").status_code == 200


def test_a_draft_can_be_continued_and_then_sent_in(as_user, users):
    ida = as_user("ida")
    post_form(ida, "/ideas/new", idea_data(action="draft", need="Litt"), page="/ideas/new")
    [draft] = projects()

    response = post_form(ida, f"/ideas/{draft.id}/edit", idea_data(need=NEED),
                         page=f"/ideas/{draft.id}/edit")

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/projects/{draft.id}")
    assert fresh(Project, draft.id).stage == "idea"
    assert len(projects()) == 1
    # Once sent in, it is no longer a draft to edit.
    assert ida.get(f"/ideas/{draft.id}/edit").status_code in (403, 404)


@pytest.mark.parametrize("bad, field, message", [
    ({"title": "Ab"}, "title", "Skriv en tittel på minst 5 tegn."),
    ({"title": ""}, "title", "Gi ideen en tittel."),
    ({"need": "For kort"}, "need", "Beskriv behovet litt mer utfyllende (minst 20 tegn)."),
    ({"need": ""}, "need", "Beskriv behovet eller problemet."),
    ({"unit": ""}, "unit", "Skriv hvilken enhet ideen hører til."),
    ({"owner_username": ""}, "owner_username", "Velg en foreslått prosjekteier."),
])
def test_errors_are_norwegian_beside_the_field_and_nothing_typed_is_lost(as_user, bad, field, message):
    data = idea_data(**bad)
    response = post_form(as_user("ida"), "/ideas/new", data, page="/ideas/new")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert field_error(html, field) == message
    assert "Noe må rettes før du kan gå videre" in html
    assert projects() == []
    # Everything typed comes back.
    for name in ("title", "unit", "owner_username"):
        if data[name]:
            assert re.search(rf'id="{name}"[^>]*value="{re.escape(data[name])}"', html), name
    for name in ("need", "proposed_solution", "expected_benefits", "affected"):
        assert data[name] in html, name
    assert re.search(r'checked class="ds-input" id="personal_data-0"', html)  # yes
    assert re.search(r'checked class="ds-input" id="needs_ikt-1"', html)  # no


def test_unknown_proposed_owner_is_refused_in_norwegian_and_nothing_is_lost(as_user):
    data = idea_data(owner_username="finnesikke")
    response = post_form(as_user("ida"), "/ideas/new", data, page="/ideas/new")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert "Fant ikke «finnesikke» i brukerkatalogen" in field_error(html, "owner_username")
    assert re.search(r'id="owner_username"[^>]*value="finnesikke"', html)
    assert NEED in html and 'value="Digitale arbeidslister"' in html
    assert projects() == []


def test_unknown_owner_is_refused_for_a_draft_too(as_user):
    response = post_form(as_user("ida"), "/ideas/new",
                         idea_data(action="draft", owner_username="finnesikke"), page="/ideas/new")
    assert response.status_code == 422
    assert projects() == []


def test_a_proposed_owner_who_never_signed_in_is_found_in_the_directory(as_user):
    """hilde is in the (demo) directory but has no local record yet; ase, who reports to
    her, has signed in, so Faseport knows hilde is a leader."""
    from tests.support.factories import make_user

    make_user("ase", display_name="Åse Øvrebø", unit="Oppvekst", leader="hilde")
    response = post_form(as_user("ida"), "/ideas/new", idea_data(owner_username="hilde"),
                         page="/ideas/new")

    assert response.status_code == 302
    [idea] = projects()
    assert idea.owner.username == "hilde" and idea.owner.display_name == "Hilde Moe"
    assert db.session.scalar(db.select(User).where(User.username == "hilde")) is not None


def test_htmx_submit_swaps_the_form_on_error_and_redirects_on_success(as_user):
    ida = as_user("ida")
    token = csrf_token(ida, "/ideas/new")
    headers = {"HX-Request": "true", "X-CSRFToken": token}

    bad = ida.post("/ideas/new", data=idea_data(title="Ab"), headers=headers)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert html.lstrip().startswith('<form id="idea-form"') and "<html" not in html
    assert "Skriv en tittel på minst 5 tegn." in html

    good = ida.post("/ideas/new", data=idea_data(), headers=headers)
    [idea] = projects()
    assert good.status_code == 204 and good.headers["HX-Redirect"] == f"/projects/{idea.id}"


@pytest.mark.parametrize("field, value, mode, message", [
    ("title", "Ab", None, "Skriv en tittel på minst 5 tegn."),
    ("title", "", None, "Gi ideen en tittel."),
    ("title", "En god tittel", None, ""),
    ("need", "For kort", "submit", "Beskriv behovet litt mer utfyllende (minst 20 tegn)."),
    ("need", NEED, "submit", ""),
])
def test_inline_validation_returns_the_fields_error_slot(as_user, field, value, mode, message):
    ida = as_user("ida")
    token = csrf_token(ida, "/ideas/new")
    url = f"/ideas/validate?field={field}" + (f"&mode={mode}" if mode else "")

    response = ida.post(url, data={**idea_data(), field: value},
                        headers={"HX-Request": "true", "X-CSRFToken": token})
    html = response.get_data(as_text=True).strip()

    assert response.status_code == 200
    assert html.startswith(f'<div id="{field}-error"')
    assert re.sub(r"<[^>]+>", "", html).strip() == message
    assert projects() == []  # validating saves nothing


def test_inline_validation_of_an_unknown_field_is_404(as_user):
    ida = as_user("ida")
    token = csrf_token(ida, "/ideas/new")
    response = ida.post("/ideas/validate?field=csrf_token", data={},
                        headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 404


def test_author_can_delete_her_draft_and_nobody_else_can(as_user):
    ida = as_user("ida")
    post_form(ida, "/ideas/new", idea_data(action="draft"), page="/ideas/new")
    [draft] = projects()

    assert post_form(as_user("ola"), f"/ideas/{draft.id}/delete", page="/").status_code == 404
    assert len(projects()) == 1

    response = post_form(ida, f"/ideas/{draft.id}/delete", page=f"/ideas/{draft.id}/edit")
    assert response.status_code == 302
    assert projects() == []


def test_a_submitted_idea_cannot_be_deleted_as_a_draft(as_user):
    ida = as_user("ida")
    post_form(ida, "/ideas/new", idea_data(), page="/ideas/new")
    [idea] = projects()

    assert post_form(ida, f"/ideas/{idea.id}/delete", page="/").status_code == 403
    assert fresh(Project, idea.id).stage == "idea"


def test_signed_out_person_is_sent_to_sign_in(client):
    response = client.get("/ideas/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_error_is_shown_at_once(as_user):
    data = idea_data(title="Ab", need="", owner_username="finnesikke")
    response = post_form(as_user("ida"), "/ideas/new", data, page="/ideas/new")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert field_error(html, "title") == "Skriv en tittel på minst 5 tegn."
    assert field_error(html, "need") == "Beskriv behovet eller problemet."
    assert "Fant ikke «finnesikke»" in field_error(html, "owner_username")
    assert projects() == []


@pytest.fixture()
def directory_down(app, monkeypatch):
    """The directory cannot be reached (people who have signed in are still known locally)."""
    from app.directory import DirectoryUnavailable

    def unavailable(*args, **kwargs):
        raise DirectoryUnavailable("ldap://dc1: timed out")

    monkeypatch.setattr(app.extensions["faseport_directory"], "find_person", unavailable)


@pytest.mark.parametrize("action", ["submit", "draft"])
def test_ida_cannot_name_herself_owner(as_user, action):
    """An employee with nobody reporting to her is no prosjekteier: refused beside the
    field, everything typed kept, nothing saved."""
    data = idea_data(action=action, owner_username="Ida Berg")
    response = post_form(as_user("ida"), "/ideas/new", data, page="/ideas/new")
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert field_error(html, "owner_username").startswith(
        "Ida Berg kan ikke være prosjekteier. Prosjekteier må være en leder med personalansvar")
    assert re.search(r'id="owner_username"[^>]*value="Ida Berg"', html)
    assert NEED in html and 'value="Digitale arbeidslister"' in html
    assert projects() == []


def test_the_owner_is_found_by_the_name_typed_without_javascript(as_user):
    response = post_form(as_user("ida"), "/ideas/new", idea_data(owner_username=" ola  nordmann "),
                         page="/ideas/new")
    assert response.status_code == 302
    assert projects()[0].owner.username == "ola"


def test_the_username_chosen_in_the_list_is_used_while_the_name_still_shows(as_user, users):
    data = idea_data(owner_username="Randi Strand", **{"owner_username-username": "randi"})
    assert post_form(as_user("ida"), "/ideas/new", data, page="/ideas/new").status_code == 302
    assert projects()[0].owner.username == "randi"


def test_a_name_typed_over_the_choice_wins_over_the_stale_choice(as_user, users):
    # The hidden username still says randi, but the text now names ola: the text counts.
    data = idea_data(owner_username="Ola Nordmann", **{"owner_username-username": "randi"})
    assert post_form(as_user("ida"), "/ideas/new", data, page="/ideas/new").status_code == 302
    assert projects()[0].owner.username == "ola"


def test_directory_down_stops_send_inn_with_a_norwegian_message(as_user, directory_down):
    response = post_form(as_user("ida"), "/ideas/new", idea_data(owner_username="hilde"), page="/ideas/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Brukerkatalogen svarer ikke akkurat nå" in field_error(html, "owner_username")
    assert re.search(r'id="owner_username"[^>]*value="hilde"', html) and NEED in html
    assert projects() == []


def test_directory_down_still_keeps_a_draft_and_says_the_owner_was_not_saved(as_user, directory_down):
    ida = as_user("ida")
    response = post_form(ida, "/ideas/new", idea_data(action="draft", owner_username="hilde"),
                         page="/ideas/new")
    assert response.status_code == 302
    [draft] = projects()
    assert draft.stage == "draft" and draft.owner is None and draft.need == NEED
    page = ida.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kladden er lagret, men uten foreslått prosjekteier" in page


def test_local_owner_needs_no_directory(as_user, directory_down):
    """ola has signed in before: his local record is enough."""
    assert post_form(as_user("ida"), "/ideas/new", idea_data(), page="/ideas/new").status_code == 302
