"""Faseport configuration.

Every setting is read from the environment so that the same code runs as a demo on a
laptop (`make run`), in the test suite and in production behind a municipality's proxy.
"""
from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class SettingError(ValueError):
    """A setting (environment variable) is missing or cannot be understood.

    The message names the variable and says what is wrong, in one line: start-up
    (`wsgi.py`) prints it instead of a traceback and stops.
    """

    #: recognised by wsgi.py even when it was raised while config.py was being imported
    is_setting_error = True


_TRUE_WORDS = {"1", "true", "yes", "on", "ja"}
_FALSE_WORDS = {"0", "false", "no", "off", "nei"}


def env_str(name: str, default: str = "") -> str:
    """A string setting from the environment (empty values count as unset)."""
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting: 1, true, yes, on, ja mean yes; 0, false, no, off, nei mean no."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    word = value.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise SettingError(f"{name} must be 1 or 0 (yes or no), not {value!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """A whole-number setting, at least `minimum` when given."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {number}")
    return number


def env_json(name: str, default: dict) -> dict:
    """A JSON object setting (e.g. LDAP_ROLE_GROUPS)."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise SettingError(
            f"{name} is not valid JSON: {error.msg} at character {error.pos + 1}"
        ) from None
    if not isinstance(parsed, dict):
        raise SettingError(f"{name} must be a JSON object ({{...}})")
    return parsed


def env_locale(name: str, default: str = "nb") -> str:
    """A language setting: nb (bokmål), nn (nynorsk) or en (English)."""
    value = env_str(name, default).strip().lower()
    if value not in ("nb", "nn", "en"):
        raise SettingError(f"{name} must be nb (bokmål), nn (nynorsk) or en (English), "
                           f"not {os.environ.get(name)!r}")
    return value


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = env_str("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = env_str(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'faseport.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = (
        # SQLite: wait for a writer instead of failing at once when two requests write.
        {"connect_args": {"timeout": 15}} if SQLALCHEMY_DATABASE_URI.startswith("sqlite")
        else {"pool_pre_ping": True}
    )

    # Public address of the site, used in e-mail links.
    BASE_URL = env_str("BASE_URL", "http://127.0.0.1:5000")

    # --- Sessions -------------------------------------------------------------------
    #: signed-out after this many minutes without a request
    SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60, minimum=1)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_MAX_HOURS", 12, minimum=1))
    SESSION_COOKIE_NAME = "faseport_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    #: number of reverse proxies in front of the app (0: none); sets werkzeug's ProxyFix
    PROXY_FIX = env_int("PROXY_FIX", 0, minimum=0)

    # --- Directory (LDAP / Active Directory) -----------------------------------------
    LDAP_URL = env_str("LDAP_URL", "demo")
    LDAP_DIALECT = env_str("LDAP_DIALECT", "openldap")
    LDAP_BASE_DN = env_str("LDAP_BASE_DN", "")
    LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
    LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")
    LDAP_USER_FILTER = env_str("LDAP_USER_FILTER", "")
    LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
    LDAP_CA_FILE = env_str("LDAP_CA_FILE", "")
    LDAP_TLS_INSECURE = env_bool("LDAP_TLS_INSECURE", False)
    LDAP_TIMEOUT = env_int("LDAP_TIMEOUT", 5)
    #: AD without a service account: user@LDAP_UPN_SUFFIX
    LDAP_UPN_SUFFIX = env_str("LDAP_UPN_SUFFIX", "")
    LDAP_ROLE_GROUPS = env_json("LDAP_ROLE_GROUPS", {})

    # --- Sign-in limits (only failures count; see app/auth/throttle.py) --------------
    #: failures per username from one address in the window; then that address waits
    LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS = env_int(
        "LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS", 5, minimum=1)
    #: failures per username from all addresses (keep it below AD's lockout threshold);
    #: then the name is slowed down: one try per LOGIN_SLOW_SECONDS from a clean address
    LOGIN_MAX_FAILURES_PER_USER = env_int("LOGIN_MAX_FAILURES_PER_USER", 8, minimum=1)
    LOGIN_SLOW_SECONDS = env_int("LOGIN_SLOW_SECONDS", 60, minimum=1)
    LOGIN_WINDOW_SECONDS = env_int("LOGIN_WINDOW_SECONDS", 900, minimum=1)

    # --- Front end -------------------------------------------------------------------
    #: load htmx and Designsystemet from the public CDN (with SRI) and fall back locally
    HTMX_FROM_CDN = env_bool("HTMX_FROM_CDN", True)

    # --- E-mail ----------------------------------------------------------------------
    MAIL_SERVER = env_str("MAIL_SERVER", "")  # empty: write mail to the log and outbox page
    MAIL_PORT = env_int("MAIL_PORT", 25, minimum=1)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = env_str("MAIL_USERNAME", "")
    MAIL_PASSWORD = env_str("MAIL_PASSWORD", "")
    MAIL_FROM = env_str("MAIL_FROM", "Faseport <faseport@kommune.no>")
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 10, minimum=1)
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5, minimum=1)
    #: send queued mail in a background thread after the request (tests send explicitly)
    MAIL_SEND_IN_BACKGROUND = env_bool("MAIL_SEND_IN_BACKGROUND", True)
    #: first wait before a failed mail is retried; doubles each time, at most 6 hours
    MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 300, minimum=1)

    # --- Reminders and the daily digest (`flask reminders send`) ------------------------
    #: a gate request waiting for the owner is reminded after this many working days, and again every as many
    REMINDER_GATE_WORKING_DAYS = env_int("REMINDER_GATE_WORKING_DAYS", 5)
    #: a status report is reminded this many days before its period ends
    REMINDER_STATUS_DAYS_BEFORE = env_int("REMINDER_STATUS_DAYS_BEFORE", 3)
    #: a milestone is reminded when it is due within this many days
    REMINDER_MILESTONE_DAYS_AHEAD = env_int("REMINDER_MILESTONE_DAYS_AHEAD", 7)
    #: an overdue milestone is reminded again every this many days (0: once)
    REMINDER_MILESTONE_OVERDUE_EVERY_DAYS = env_int("REMINDER_MILESTONE_OVERDUE_EVERY_DAYS", 7)
    #: a benefit measurement is reminded this many days before it is due
    REMINDER_MEASUREMENT_DAYS_BEFORE = env_int("REMINDER_MEASUREMENT_DAYS_BEFORE", 7)
    #: an unfinished DPIA is reminded when the planned BP3 is this many days away
    REMINDER_DPIA_DAYS_BEFORE_BP3 = env_int("REMINDER_DPIA_DAYS_BEFORE_BP3", 30)
    #: the daily digest goes out at the first run after this hour (Oslo time)
    DIGEST_HOUR = env_int("DIGEST_HOUR", 7)

    #: the kommune's language (målform): what people see until they choose their own, and
    #: what their e-mails are written in; the browser's Accept-Language comes first for
    #: someone who has not chosen (app/i18n.py)
    DEFAULT_LOCALE = env_locale("DEFAULT_LOCALE", "nb")
    BABEL_DEFAULT_LOCALE = DEFAULT_LOCALE
    #: the catalogues (nb, nn, en); `make translations` compiles them
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    WTF_CSRF_TIME_LIMIT = None  # the session's own lifetime bounds the token
    #: Strict-Transport-Security max-age in seconds (0: not sent); on in prod, where
    #: HSTS=0 turns it off behind a proxy that sets the header itself
    HSTS_SECONDS = 0
    #: render and store the PDF/A files of every gate decision. Deliberately not read from
    #: the environment: only the test suite turns it off (tests/conftest.py), for the tests
    #: that never look at a PDF; the PDF tests, the demo-PDF test and `make run` keep it on.
    DECISION_PDFS = True


class DevConfig(Config):
    """`make run`: the embedded demo directory, SQLite and the developer pages."""

    DEBUG = env_bool("FLASK_DEBUG", False)


class TestConfig(Config):
    """The test suite: an in-memory or per-test database, no CSRF on unit requests
    unless a test asks for it."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = env_str("TEST_DATABASE_URL", "sqlite://")
    LDAP_URL = "demo"
    LDAP_ROLE_GROUPS: dict = {}
    HTMX_FROM_CDN = False
    MAIL_SERVER = ""
    MAIL_SEND_IN_BACKGROUND = False
    LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS = 5
    LOGIN_MAX_FAILURES_PER_USER = 8
    LOGIN_SLOW_SECONDS = 60
    HSTS_SECONDS = 0


class ProdConfig(Config):
    """Production: secure cookies and a real secret are required."""

    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    #: one year, as browsers' preload lists expect; HSTS=0 when the proxy sends it
    HSTS_SECONDS = 31536000 if env_bool("HSTS", True) else 0

    @classmethod
    def check(cls) -> None:
        if cls.SECRET_KEY == "dev-only-not-secret":
            raise SettingError("SECRET_KEY must be set in production (a long random text)")


CONFIGS = {"dev": DevConfig, "test": TestConfig, "prod": ProdConfig}


def config_for(env: str | None):
    """The config class for FASEPORT_ENV (`dev`, `test` or `prod`)."""
    name = (env or "prod").strip().lower()
    if name not in CONFIGS:
        raise SettingError(f"FASEPORT_ENV must be dev, test or prod, not {env!r}")
    return CONFIGS[name]
