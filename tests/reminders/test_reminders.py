"""Issue 13: `flask reminders send` sends every kind of reminder once per period, says why
it came, sends nothing new the second time, and the morning digest lists the rest. The
mail is checked as received by a real SMTP server (aiosmtpd)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db as _db
from app.models import Notification, OutboxMail, SentReminder
from tests.reminders.scenario import build, morning_after_tomorrow


def run(app, now) -> str:
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--now", now.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def notes(kind=None) -> list[Notification]:
    _db.session.expire_all()
    query = select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(_db.session.scalars(query))


def test_every_reminder_once_with_why_and_the_morning_digest(app, db, users, mail_server, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_STATUS_DAYS_BEFORE", 6)  # a weekly report: due every day
    day, now = morning_after_tomorrow()
    s = build(users, day)

    output = run(app, now)
    assert "Påminnelser sendt: 7." in output and "Daglige oppsummeringer: 4." in output

    by_kind = {}
    for n in notes():
        by_kind.setdefault(n.kind, set()).add(n.user.username)
    assert by_kind == {"reminder_gate": {"ola"}, "reminder_status": {"kari"},
                       "reminder_milestone": {"nils", "kari"}, "reminder_measurement": {"randi"},
                       "reminder_dpia": {"kari", "siri"}}
    [gate] = notes("reminder_gate")
    assert "BP3 for «Ny EPJ for helse og omsorg» har ventet på din beslutning i 6 arbeidsdager" in gate.text
    assert gate.url == f"/projects/{s['planning'].id}/gates/BP3"
    [late] = [n for n in notes("reminder_milestone") if n.user.username == "kari"]
    assert "milepæl M1" in late.text and "skulle vært nådd" in late.text
    [measure] = notes("reminder_measurement")
    assert "«Færre nattlige tilsynsbesøk»" in measure.text and measure.url.endswith(f"#benefit-{s['benefit'].id}-m")

    mails = {(m.rcpt_tos[0].split("@")[0], m.subject): m for m in mail_server.wait_for(5)}
    # A decision asked of you comes at once (the default), saying why it came.
    body = mails[("ola", "Påminnelse: BP3 for Ny EPJ for helse og omsorg venter på deg")].text()
    assert "Hvorfor du får denne påminnelsen: du er prosjekteier" in body
    assert app.config["BASE_URL"].rstrip("/") + f"/projects/{s['planning'].id}/gates/BP3" in body
    assert app.config["BASE_URL"].rstrip("/") + "/profile#varsler" in body  # change how you are told
    # The rest comes in one e-mail each morning, listing everything.
    digest = mails[("kari", "Faseport: 3 nye varsler")].text()
    assert "STATUSRAPPORTER" in digest and "MILEPÆLER" in digest and "PERSONVERN (DPIA)" in digest
    assert "milepæl M1 i «Digital tilsynsrapport» skulle vært nådd" in digest
    assert "daglig oppsummering" in digest and "/profile#varsler" in digest
    assert ("randi", "Faseport: 1 nytt varsel") in mails and ("nils", "Faseport: 1 nytt varsel") in mails
    assert ("siri", "Faseport: 1 nytt varsel") in mails
    assert len(mail_server.messages) == 5

    # The second run (cron, minutes later) sends nothing new.
    count = (len(notes()), _db.session.scalar(select(_db.func.count(OutboxMail.id))))
    assert "Påminnelser sendt: 0. Daglige oppsummeringer: 0." in run(app, now)
    assert (len(notes()), _db.session.scalar(select(_db.func.count(OutboxMail.id)))) == count
    assert len(mail_server.messages) == 5


def test_reminders_repeat_by_period_and_stop_when_done(app, db, users):
    from datetime import timedelta

    from app.models import Milestone
    from app.models.benefit import BenefitMeasurement
    from app.reminders.runner import send_reminders

    day, now = morning_after_tomorrow()
    s = build(users, day)
    first = send_reminders(now)
    assert first["reminder_gate"] == 1
    # Five working days later the owner is reminded again; the late milestone a week later too.
    later = now + timedelta(days=7)
    again = send_reminders(later)
    assert again["reminder_gate"] == 1 and again["reminder_milestone"] >= 1
    # A measurement recorded and the milestone reached: no more of those.
    _db.session.add(BenefitMeasurement(benefit_id=s["benefit"].id, measured_on=day, value=3.0,
                                       recorded_by=users["randi"]))
    for m in _db.session.scalars(select(Milestone)):
        m.done_date = day
    _db.session.commit()
    third = send_reminders(later + timedelta(days=7))
    assert third["reminder_measurement"] == 0 and third["reminder_milestone"] == 0
    keys = _db.session.scalars(select(SentReminder).where(SentReminder.kind == "reminder_gate")).all()
    assert sorted(k.period.split("/")[1] for k in keys) == ["1", "2", "3"]


def test_a_hidden_projects_dpia_reminder_reaches_its_leader_and_the_personvernombud_only(app, db, users):
    from app.reminders.runner import send_reminders

    day, now = morning_after_tomorrow()
    s = build(users, day)
    s["planning"].restricted = True
    s["planning"].manager = None  # siri has no role in the restricted project
    _db.session.commit()
    send_reminders(now)
    dpia = {n.user.username: n for n in notes("reminder_dpia")}
    # The personvernombud clears the DPIA of a restricted project too (issue 8): she is
    # reminded, and the link goes to its assessment page, the one page of it she opens.
    assert set(dpia) == {"ola", "siri"}
    assert dpia["siri"].url == f"/personvern/{s['planning'].id}/vurdering"


def test_the_readme_cron_line_runs(app, db, users):
    """`flask --app wsgi reminders send`, exactly as cron runs it (README)."""
    import os
    import subprocess
    import sys
    from datetime import datetime
    from pathlib import Path

    from app.reminders.periods import OSLO

    build(users, datetime.now(OSLO).date())
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FASEPORT_ENV": "dev", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MAIL_SERVER": "", "LDAP_URL": "demo"}
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run([str(flask), "--app", "wsgi", "reminders", "send"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Påminnelser sendt:" in result.stdout and "reminder_gate: 1" in result.stdout
    assert [n.user.username for n in notes("reminder_gate")] == ["ola"]


def test_the_reporting_interval_is_set_on_the_status_tab(app, db, users):
    from tests.gates.flow import BrowserClient, make_project
    from tests.support.factories import login_as, post_form

    project = make_project(users, title="Digital tilsynsrapport", stage="execution", owner="ola", manager="kari")
    kari = BrowserClient(app, app.response_class, use_cookies=True)
    login_as(kari, users["kari"])
    page = f"/projects/{project.id}/status"
    import re

    def chosen(html):
        return re.search(r'<option (?:selected value="(\w+)"|value="(\w+)" selected)', html).group(1, 2)

    assert "month" in chosen(kari.get(page).get_data(as_text=True))
    r = post_form(kari, f"{page}/interval", {"interval": "quarter"}, page=page)
    assert r.status_code == 303
    html = kari.get(page).get_data(as_text=True)
    assert "quarter" in chosen(html) and "Rapporteringsintervallet er lagret." in html
    history = kari.get(f"/projects/{project.id}/history").get_data(as_text=True)
    assert "Kari Nordmann satte rapporteringsintervallet til «Hvert kvartal»." in history
