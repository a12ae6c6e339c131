"""Every area's audit events read as Norwegian sentences in the history tab: create_app
registers each area's describer by name (app/__init__.py), once however many apps run."""
from __future__ import annotations

import pytest

from app import create_app
from app.audit.describe import DESCRIBERS, describe
from app.models import AuditEvent

#: one event of each area whose sentences create_app registers, and what the history says
EVENTS = [
    ("owner_role.granted", {"name": "Ola Nordmann"}, "Kari ga Ola Nordmann rollen som mulig prosjekteier."),
    ("api_token.created", {"name": "Power BI", "prefix": "abcd"}, "Kari lagde API-nøkkelen «Power BI»"),
    ("notifications.preferences_saved", {"changes": {}}, "Kari endret hvordan varsler sendes"),
    ("project.restricted", {}, "Kari skjermet prosjektet."),
    ("calendar_feed.created", {"prefix": "abcd"}, "Kari lagde den personlige kalenderadressen sin"),
    ("decision.frozen", {"gate": "BP2", "files": []}, "Beslutningsgrunnlaget ved BP2 ble låst som PDF/A"),
    ("profile.locale_chosen", {"locale": ""}, "Kari lot nettleseren og kommunens standard velge språk."),
]


@pytest.mark.parametrize(("action", "data", "expected"), EVENTS, ids=[e[0] for e in EVENTS])
def test_each_areas_events_read_as_a_sentence(app, action, data, expected):
    with app.test_request_context():
        text = describe(AuditEvent(action=action, actor_name="Kari", data=data))
    assert expected in text
    assert text != f"Kari: {action}"  # the plain fallback for an event nobody describes


def test_a_second_app_registers_nothing_twice(app):
    """The README's two servers (and the tests) build more than one app in a process."""
    before = list(DESCRIBERS)
    create_app(type("SecondApp", (), {k: v for k, v in app.config.items() if k.isupper()}))
    assert DESCRIBERS == before
