"""Issue 13: each person decides how notifications arrive, per topic, on the profile page:
an e-mail at once, the daily digest, or only the bell."""
from __future__ import annotations

from app.extensions import db as _db
from app.models import AuditEvent, Notification
from app.notifications.mail import send_pending
from tests.gates.flow import as_user, make_project, notifications_for  # noqa: F401
from tests.notifications.helpers import outbox
from tests.support.factories import post_form


def choices(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'name="topic_(\w+)" value="(\w+)" checked', html))


def test_defaults_and_changing_them_on_the_profile_page(app, as_user, users, mail_server):
    kari = as_user("kari")
    page = kari.get("/profile").get_data(as_text=True)
    assert "Varsler på e-post" in page and "Kalender i Outlook" in page
    defaults = choices(page)
    assert defaults["decisions"] == "immediate" and defaults["agreements"] == "immediate"
    assert defaults["milestones"] == "digest" and defaults["tasks"] == "digest"

    r = post_form(kari, "/notifications/preferences",
                  {**{f"topic_{k}": v for k, v in defaults.items()}, "topic_milestones": "immediate",
                   "topic_decisions": "bell"}, page="/profile")
    assert r.status_code == 303 and r.headers["Location"].endswith("/profile#varsler")
    now = choices(kari.get("/profile").get_data(as_text=True))
    assert now["milestones"] == "immediate" and now["decisions"] == "bell"
    assert _db.session.scalar(_db.select(AuditEvent.id).where(
        AuditEvent.action == "notifications.preferences_saved"))
    r = post_form(kari, "/notifications/preferences", {"topic_milestones": "sometimes"}, page="/profile")
    assert r.status_code == 422 and "Varsler på e-post" in r.get_data(as_text=True)

    # A milestone given to kari now comes by e-mail at once; a decision asked of her only in the bell.
    project = make_project(users, title="Digital tilsynsrapport", stage="planning", owner="ola", manager="kari")
    ms = f"/projects/{project.id}/milestones"
    post_form(as_user("ola"), ms, {"new_number": "M1", "new_description": "Når piloten er evaluert",
                                   "new_responsible_username": "kari", "new_due_date": "01.06.2027"}, page=ms)
    from app.notifications.services import notify

    with app.app_context():
        notify(_db.session.get(type(users["kari"]), users["kari"].id), "gate_requested",
               "Ola ber deg godkjenne BP3", f"/projects/{project.id}/gates/BP3")
        _db.session.commit()
    send_pending(app)
    [mail] = mail_server.wait_for(1)
    assert mail.subject == "Milepæl M1 i Digital tilsynsrapport er ditt ansvar"
    assert "Velg selv hvilke varsler du vil ha på e-post" in mail.text()
    assert app.config["BASE_URL"].rstrip("/") + "/profile#varsler" in mail.text()
    bell_only = notifications_for(users["kari"], "gate_requested")
    assert bell_only and bell_only[0].delivery == "bell"
    assert [m.to_addr for m in outbox()] == ["kari@demo.kommune.no"]
    # The list shows what kind each notification is.
    html = kari.get("/notifications/").get_data(as_text=True)
    assert "Milepæl</span>" in html and "Beslutning</span>" in html
    assert _db.session.scalar(_db.select(_db.func.count(Notification.id))) == 2
