"""`flask mail send`: send or retry queued mail (run it from cron every few minutes)."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from app.notifications.mail import send_pending

mail_cli = AppGroup("mail", help="E-post fra Faseport.")


@mail_cli.command("send")
@click.option("--now", "ignore_backoff", is_flag=True,
              help="Prøv all e-post i kø nå, også den som venter på neste forsøk.")
def send_mail(ignore_backoff: bool) -> None:
    """Send e-post som ligger i kø, og prøv på nytt det som feilet før.

    Exit code 1 when a mail was given up on in this run, so that cron reports it.
    """
    report = send_pending(current_app._get_current_object(), ignore_backoff=ignore_backoff)
    click.echo(_("Sendt: %(sent)d. Skrevet til logg: %(logged)d. Prøves igjen senere: "
                 "%(retrying)d. Venter på neste forsøk: %(waiting)d. Feilet: %(failed)d.",
                 sent=report.sent, logged=report.logged, retrying=report.retrying,
                 waiting=report.waiting, failed=report.failed))
    if report.failed:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    app.cli.add_command(mail_cli)
