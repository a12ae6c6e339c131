"""`flask directory check [USERNAME]` and `flask directory sync` (for cron)."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

directory = AppGroup("directory", help="Brukerkatalogen (Active Directory / OpenLDAP).")


@directory.command("check")
@click.argument("username", required=False)
def check_directory(username: str | None) -> None:
    """Try each step of a sign-in and say in plain words which one fails."""
    from app.directory import get_directory
    from app.directory.diagnose import check

    def ask_password() -> str:
        return click.prompt(f"Passord for {username}", hide_input=True, err=True)

    steps = check(get_directory(), username, password_prompt=ask_password)
    for step in steps:
        click.echo(step.line())
    failed = [step for step in steps if step.ok is False]
    click.echo("Alt virker." if not failed else f"{len(failed)} steg feilet.")
    sys.exit(1 if failed else 0)


@directory.command("sync")
@click.option("--force", is_flag=True,
              help="Godta at mer enn halvparten av de aktive forsvinner i én kjøring.")
def sync_directory(force: bool) -> None:
    """Refresh everyone from the directory; mark people who left as inactive."""
    from app.auth.directory_sync import SyncRefused, sync_people
    from app.directory import DirectoryUnavailable, get_directory
    from app.extensions import db

    try:
        people = get_directory().all_people()
        report = sync_people(people, force=force)
    except DirectoryUnavailable as error:
        db.session.rollback()
        click.echo(f"Katalogen svarer ikke; ingenting er endret ({error}).", err=True)
        sys.exit(1)
    except SyncRefused as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        sys.exit(1)
    db.session.commit()  # CLI: no request, so this command is its own transaction
    click.echo(
        f"Katalogen lest: {len(people)} personer, {len(report.created)} nye, "
        f"{len(report.left)} sluttet, {len(report.returned)} tilbake, "
        f"{len(report.roles_changed)} med endrede roller."
    )
    for username in report.left:
        click.echo(f"  sluttet: {username}")
    if report.projects_concerned:
        click.echo(f"  {report.projects_concerned} prosjekter mistet eier eller leder; "
                   "porteføljestyringen er varslet.")
    for username in sorted(set(report.ambiguous)):
        click.echo(f"  hoppet over: {username} (flere oppføringer har dette brukernavnet)")
