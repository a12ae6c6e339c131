"""The history tab: every change and decision, newest first, in plain Norwegian."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.gates.flow import NEED, decide, make_project, request_gate
from tests.support.factories import post_form


def history(client, project_id) -> list[str]:
    """The history entries as a person reads them, top to bottom."""
    html = client.get(f"/projects/{project_id}/history").get_data(as_text=True)
    items = re.findall(r'<li class="history__item">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", re.sub(r"<time[^>]*>.*?</time>", "", i)).split())
            for i in items]


def test_the_story_of_an_idea_newest_first(as_user, users):
    ida, ola = as_user("ida"), as_user("ola")
    post_form(ida, "/ideas/new", {
        "action": "submit", "title": "Digitale arbeidslister", "need": NEED, "unit": "Helse og omsorg",
        "owner_username": "ola", "personal_data": "no", "needs_ikt": "yes"}, page="/ideas/new")
    from app.models import Project
    from app.extensions import db

    project = db.session.scalar(db.select(Project))
    decide(ola, project, "return", comment="Beskriv behovet bedre.",
           answers={"fits_strategy": ("nei", "Ikke i planen ennå.")})
    request_gate(ida, project, "Bør utredes.")
    decide(ola, project, "postpone", comment="Venter på budsjettet.",
           postpone_until=date(2031, 3, 1))
    decide(ola, project, "approve", manager_username="kari", comment="Godt begrunnet.")

    entries = history(as_user("per"), project.id)  # anyone who can see the project

    assert entries[0] == ("Ola Nordmann godkjente BP1. Prosjektleder for konseptarbeidet: "
                          "Kari Nordmann. Begrunnelse: «Godt begrunnet.»")
    assert "Ola Nordmann svarte «Ja» på «Ideen passer med kommunens strategi og planer» i sjekklisten for BP1." in entries
    assert ("Ola Nordmann utsatte BP1. Utsatt til 1. mars 2031. "
            "Begrunnelse: «Venter på budsjettet.»") in entries
    assert "Ida Berg ba om godkjenning av BP1: «Bør utredes.»" in entries
    assert ("Ola Nordmann svarte «Nei» på «Ideen passer med kommunens strategi og planer» i sjekklisten "
            "for BP1. Kommentar: «Ikke i planen ennå.»") in entries
    # "Send inn" was the request for BP1.
    assert entries[-2:] == ["Ida Berg ba om beslutning ved BP1.",
                            "Ida Berg sendte inn ideen «Digitale arbeidslister»."]
    # Sent straight in: no "saved the draft" for a draft nobody kept.
    assert not any("kladden" in e for e in entries)
    # Newest first: the order of the <time> stamps agrees.
    html = as_user("per").get(f"/projects/{project.id}/history").get_data(as_text=True)
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps == sorted(stamps, reverse=True) and len(stamps) == len(entries)


def test_return_reject_withdraw_and_transfer_read_plainly(as_user, users):
    ida, ola = as_user("ida"), as_user("ola")
    project = make_project(users)
    request_gate(ida, project)
    decide(ola, project, "return", comment="Beskriv gevinstene.")
    post_form(as_user("admin"), f"/projects/{project.id}/owner", {"owner_username": "randi"},
              page=f"/projects/{project.id}")
    post_form(ida, f"/projects/{project.id}/withdraw", {"comment": "Løst på annen måte."},
              page=f"/projects/{project.id}")

    entries = history(ida, project.id)
    assert entries[:3] == [
        "Ida Berg trakk prosjektet. Begrunnelse: «Løst på annen måte.»",
        "Adam Berge overførte prosjekteierrollen fra Ola Nordmann til Randi Strand.",
        "Ola Nordmann sendte tilbake BP1. Begrunnelse: «Beskriv gevinstene.»",
    ]


def test_rejection_shows_its_reason(as_user, users):
    ida, ola = as_user("ida"), as_user("ola")
    project = make_project(users)
    request_gate(ida, project)
    decide(ola, project, "reject", comment="Dekkes av fagsystemet.")
    assert history(ida, project.id)[0] == "Ola Nordmann avviste BP1. Begrunnelse: «Dekkes av fagsystemet.»"


def test_empty_history_says_so(as_user, users):
    project = make_project(users)
    html = as_user("ida").get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Ingen hendelser ennå." in html


def test_history_of_a_restricted_project_is_hidden(as_user, users):
    project = make_project(users, restricted=True)
    assert as_user("per").get(f"/projects/{project.id}/history").status_code == 404


def test_dates_in_the_past_are_not_accepted_as_postponement(as_user, users):
    """(The history only ever shows future postponement dates.)"""
    ida, ola = as_user("ida"), as_user("ola")
    project = make_project(users)
    request_gate(ida, project)
    response = decide(ola, project, "postpone", comment="x", postpone_until=date.today() - timedelta(days=1))
    assert response.status_code == 422
    assert not any("utsatte" in e for e in history(ida, project.id))
