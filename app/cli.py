"""Command-line tasks: `flask demo load`, `flask directory check` and `flask directory sync`."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

demo = AppGroup("demo", help="Demodata for `make run`.")


@demo.command("load")
@click.option("--only-with-demo-directory", is_flag=True,
              help="Med en ekte katalog: si fra og avslutt uten feil (brukes av `make run`).")
def load_demo(only_with_demo_directory: bool) -> None:
    """Load the demo data once; running it again changes nothing.

    The demo projects are owned by the embedded directory's people, so they load only
    with LDAP_URL=demo; with a real directory Faseport starts empty.
    """
    from app.demo import load
    from app.directory import get_directory

    settings = get_directory().settings
    if not settings.is_demo:
        if only_with_demo_directory:
            click.echo(f"Ekte katalog ({settings.url}): Faseport starter tomt, uten demodata. "
                       "Logg inn med en konto fra katalogen.")
            return
        click.echo(f"Demodata kan bare lastes med den innebygde demokatalogen (LDAP_URL=demo), "
                   f"ikke med {settings.url}.", err=True)
        sys.exit(1)
    created = load()
    click.echo("Demodata lastet." if created else "Demodata finnes allerede; ingenting endret.")
    click.echo("Demokatalogen: logg inn som ida, ola, kari, per, siri, lise eller admin "
               "(passord: demo).")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo)
    from app.directory.commands import directory

    app.cli.add_command(directory)
