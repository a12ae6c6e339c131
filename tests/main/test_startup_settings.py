"""A setting that cannot work stops the start-up with one line naming it, never a
traceback (wsgi.py, which gunicorn and every `flask` command load)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.sqlite_only  # starts Python with its own settings, no database


@pytest.mark.parametrize(("settings", "line"), [
    ({"LOGIN_WINDOW_SECONDS": "15 min"},
     "Faseport kan ikke starte: LOGIN_WINDOW_SECONDS must be a whole number, not '15 min'"),
    ({"LDAP_URL": "ldap://dc01 http://dc02", "LDAP_BASE_DN": "dc=kommune,dc=no"},
     "Faseport kan ikke starte: LDAP_URL must be ldap://host[:port] or ldaps://host[:port] "
     "(several separated by spaces or commas) or demo, not 'http://dc02'"),
    ({"FASEPORT_ENV": "staging"},
     "Faseport kan ikke starte: FASEPORT_ENV must be dev, test or prod, not 'staging'"),
    ({"FASEPORT_ENV": "prod", "SECRET_KEY": ""},
     "Faseport kan ikke starte: SECRET_KEY must be set in production (a long random text)"),
])
def test_a_wrong_setting_stops_the_start_with_one_line(tmp_path, settings, line):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LDAP_", "LOGIN_", "FASEPORT_", "DATABASE_", "SECRET_"))}
    env.update(FASEPORT_ENV="dev", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    env.update(settings)
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [line], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
