"""Issue 15: e-mails go out in the recipient's language, whatever the sender reads the
site in — through the real outbox and a real SMTP server on loopback (aiosmtpd)."""
from __future__ import annotations

from datetime import timedelta

from app.extensions import db as _db
from app.models.base import utcnow
from app.notifications.digest import send_digests
from app.notifications.mail import send_pending
from app.reminders.periods import oslo_moment, oslo_today
from tests.gates.flow import as_user, decide, idea_with_pending_bp1, notifications_for  # noqa: F401
from tests.i18n.support import translated

TITLE = "Digitale arbeidslister"


def choose(users, **locales) -> None:
    for name, locale in locales.items():
        users[name].locale = locale
    _db.session.commit()


def test_a_person_who_chose_nynorsk_gets_nynorsk_mail_from_someone_using_english(
        app, users, as_user, smtp_server, monkeypatch):
    for key, value in smtp_server.app_config().items():
        monkeypatch.setitem(app.config, key, value)
    choose(users, ida="en", ola="nn")

    ida = as_user("ida")
    page = ida.get("/")
    assert '<html lang="en"' in page.get_data(as_text=True)  # ida reads the site in English
    idea_with_pending_bp1(ida, users, title=TITLE)  # ida asks ola, the owner, to decide BP1
    assert send_pending(app).sent == 1

    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["ola@demo.kommune.no"]
    assert mail.subject == translated("nn", "Beslutning trengs: %(gate)s for %(title)s", gate="BP1", title=TITLE)
    body = mail.text().replace("\r\n", "\n")
    assert body.startswith(translated("nn", "Hei %(name)s,", name="Ola Nordmann"))
    assert translated("nn", "%(who)s ber deg godkjenne %(gate)s for «%(title)s».",
                      who="Ida Berg", gate="BP1", title=TITLE) in body
    assert translated("nn", "Gå hit i Faseport for å se saken og gjøre det som trengs:") in body
    # ... and the bell says it in nynorsk too, while ida's own pages stay English.
    [notice] = notifications_for(users["ola"], "gate_requested")
    assert notice.text == translated("nn", "%(who)s ber deg godkjenne %(gate)s for «%(title)s».",
                                     who="Ida Berg", gate="BP1", title=TITLE)


def test_the_morning_digest_reaches_each_person_in_their_language(
        app, users, as_user, smtp_server, monkeypatch):
    """ola (English) approves BP1 and makes kari the manager. ida, who sent the idea in,
    chose nynorsk; kari chose nothing, so the kommune's default (DEFAULT_LOCALE=nn here)
    holds. Both take these notices in the morning digest (the default for these kinds)."""
    for key, value in smtp_server.app_config().items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "nn")
    choose(users, ida="nn", ola="en")
    project = idea_with_pending_bp1(as_user("ida"), users, title=TITLE)
    response = decide(as_user("ola"), project, "approve", manager_username="kari")
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    send_pending(app)
    smtp_server.clear()

    next_morning = oslo_moment(oslo_today(utcnow()) + timedelta(days=1), 8)  # after DIGEST_HOUR, Oslo time
    assert send_digests(now=next_morning) >= 2
    send_pending(app)
    mails = {m.rcpt_tos[0]: m for m in smtp_server.wait_for(2)}
    decided = translated("nn", "%(who)s %(verb)s %(gate)s for «%(title)s».", who="Ola Nordmann",
                         verb=translated("nn", "godkjente"), gate="BP1", title=TITLE)
    to_ida = mails["ida@demo.kommune.no"]
    assert to_ida.subject == translated("nn", "Faseport: %(num)d nytt varsel", num=1)
    assert decided in to_ida.text().replace("\r\n", "\n")
    to_kari = mails["kari@demo.kommune.no"]
    assert translated("nn", "%(who)s har gjort deg til %(role)s i «%(title)s».", who="Ola Nordmann",
                      role=translated("nn", "prosjektleder"), title=TITLE) in to_kari.text().replace("\r\n", "\n")
