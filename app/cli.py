"""Command-line tasks: `flask demo load`."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo = AppGroup("demo", help="Demodata for `make run`.")


@demo.command("load")
def load_demo() -> None:
    """Load the demo data once; running it again changes nothing."""
    from app.demo import load

    created = load()
    click.echo("Demodata lastet." if created else "Demodata finnes allerede; ingenting endret.")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo)
