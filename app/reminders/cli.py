"""`flask reminders send`: reminders from the plan and the morning digest (for cron)."""
from __future__ import annotations

from datetime import datetime, timezone

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

reminders_cli = AppGroup("reminders", help="Påminnelser og daglig oppsummering fra Faseport.")


@reminders_cli.command("send")
@click.option("--now", "now_text", default="", metavar="TIDSPUNKT",
              help="Kjør som om klokken var dette (ISO 8601, f.eks. 2026-03-02T08:00+01:00).")
@click.option("--no-mail", is_flag=True, help="Bare legg e-posten i kø; `flask mail send` sender den.")
def send(now_text: str, no_mail: bool) -> None:
    """Send påminnelser som har forfalt og dagens oppsummeringer. Trygt å kjøre ofte, og
    fra flere servere samtidig: hver påminnelse sendes én gang per periode."""
    from app.notifications.digest import send_digests
    from app.notifications.mail import send_pending
    from app.reminders.runner import send_reminders

    now = _parse_now(now_text)
    sent = send_reminders(now)
    digests = send_digests(now)
    click.echo(_("Påminnelser sendt: %(n)d. Daglige oppsummeringer: %(d)d.",
                 n=sum(sent.values()), d=digests))
    for kind, count in sorted(sent.items()):
        click.echo(f"  {kind}: {count}")
    if not no_mail:
        send_pending(current_app._get_current_object())


def _parse_now(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(_("Skriv tidspunktet som 2026-03-02T08:00+01:00."), param_hint="--now")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def init_app(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
