"""WSGI entry point: `gunicorn wsgi:app` (see README for the production command)."""
import os

from app import create_app
from config import CONFIGS

app = create_app(CONFIGS[os.environ.get("FASEPORT_ENV", "prod")])
