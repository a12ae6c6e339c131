"""WSGI entry point: `gunicorn wsgi:app` (see README for the production command).

Also what `flask` loads (FLASK_APP=wsgi:app in the Makefile). A setting that cannot work
stops the start-up with one line naming the variable, never a traceback.
"""
import os
import sys

try:
    from app import create_app
    from config import config_for

    app = create_app(config_for(os.environ.get("FASEPORT_ENV", "prod")))
except ValueError as error:
    # config.SettingError (also raised while config.py itself is imported, so the class
    # is recognised by its marker) and app.directory.settings.DirectoryConfigError.
    if not getattr(error, "is_setting_error", False):
        raise
    sys.exit(f"Faseport kan ikke starte: {error}")
