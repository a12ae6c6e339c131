"""notify() and the read/unread helpers: what they store, in which transaction."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.models import Notification, OutboxMail
from app.notifications.services import mark_read, notify, recent, unread_count
from tests.notifications.helpers import notifications, outbox
from tests.support.factories import make_user

TEXT = "Ola Nordmann ber deg godkjenne BP2 for «Velferdsteknologi i hjemmetjenesten»"
URL = "/projects/7/gates/2"


def test_notify_adds_notification_and_mail_in_the_same_transaction(app, db, users):
    ida = users["ida"]
    notify(ida, "gate_requested", TEXT, URL,
           mail_subject="Godkjenn BP2: Velferdsteknologi i hjemmetjenesten",
           mail_body="Prosjektet ber om beslutning ved BP2 (start planlegging).")
    # Nothing committed yet: both rows sit in the session's transaction.
    assert _db.session.new
    _db.session.flush()
    note = _db.session.scalars(select(Notification)).one()
    mail = _db.session.scalars(select(OutboxMail)).one()
    assert (note.user_id, note.kind, note.text, note.url, note.read_at) == (
        ida.id, "gate_requested", TEXT, URL, None)
    assert mail.to_addr == "ida@demo.kommune.no"
    assert mail.to_name == "Ida Berg"
    assert mail.subject == "Godkjenn BP2: Velferdsteknologi i hjemmetjenesten"
    assert mail.status == "queued" and mail.attempts == 0
    assert "Prosjektet ber om beslutning ved BP2" in mail.body
    assert app.config["BASE_URL"].rstrip("/") + URL in mail.body
    assert mail.body.rstrip().splitlines()[-1] != ""  # a footer follows the signature
    assert "\nFaseport\n" in mail.body and mail.body.startswith("Hei Ida Berg,")


def test_rollback_removes_both_the_notification_and_the_mail(db, users):
    notify(users["ida"], "gate_requested", TEXT, URL)
    _db.session.flush()
    _db.session.rollback()
    assert notifications() == [] and outbox() == []


def test_commit_keeps_both(db, users):
    notify(users["ida"], "gate_requested", TEXT, URL)
    _db.session.commit()
    assert len(notifications()) == 1 and len(outbox()) == 1


def test_mail_subject_and_body_default_to_the_text(app, db, users):
    notify(users["ida"], "idea_submitted", TEXT, URL)
    _db.session.flush()
    [mail] = outbox_in_session()
    assert mail.subject == TEXT
    assert TEXT in mail.body
    assert f"{app.config['BASE_URL'].rstrip('/')}{URL}" in mail.body


def test_no_mail_for_a_person_without_an_email_address(db):
    nils = make_user("nils", display_name="Nils Uten Epost", email="")
    notify(nils, "gate_decided", "BP1 er godkjent", URL)
    _db.session.commit()
    assert len(notifications()) == 1
    assert outbox() == []


def test_subject_cannot_carry_extra_mail_headers(db, users):
    notify(users["ida"], "gate_requested", "BP1 er godkjent", URL,
           mail_subject="Hei\r\nBcc: alle@kommune.no")
    _db.session.flush()
    [mail] = outbox_in_session()
    assert "\n" not in mail.subject and "\r" not in mail.subject


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example/x", "projects/1", "", "/\\evil"])
def test_notify_refuses_links_off_the_site(db, users, url):
    with pytest.raises(ValueError):
        notify(users["ida"], "gate_decided", TEXT, url)


def test_notify_records_the_project_even_when_it_is_new_in_this_transaction(db, users):
    from app.models import Project

    project = Project(title="Velferdsteknologi i hjemmetjenesten", stage="concept",
                      submitted_by=users["ida"])
    _db.session.add(project)  # not flushed: notify must give it an id first
    note = notify(users["ola"], "gate_requested", TEXT, URL, project=project)
    _db.session.commit()
    assert project.id is not None
    assert note.project_id == project.id


def test_unread_count_recent_and_mark_read(db, users):
    ida, ola = users["ida"], users["ola"]
    first = notify(ida, "a", "første", "/a")
    second = notify(ida, "b", "andre", "/b")
    notify(ida, "c", "tredje", "/c")
    theirs = notify(ola, "a", "ikke din", "/a")
    _db.session.commit()

    assert unread_count(ida) == 3 and unread_count(ola) == 1
    assert [n.text for n in recent(ida, 2)] == ["tredje", "andre"]

    # Someone else's id is silently ignored: it stays unread.
    assert mark_read(ida, [first.id, theirs.id]) == 1
    assert unread_count(ida) == 2 and unread_count(ola) == 1
    assert mark_read(ida, [first.id]) == 0  # already read
    assert mark_read(ida, []) == 0
    assert mark_read(ida, "all") == 2
    assert unread_count(ida) == 0 and unread_count(ola) == 1
    _db.session.refresh(second)
    assert second.read_at is not None


def outbox_in_session() -> list[OutboxMail]:
    return list(_db.session.scalars(select(OutboxMail)))
