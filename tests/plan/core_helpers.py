"""Fixtures and helpers for the roles, plan and milestones tab tests (test_roles.py,
test_plan.py, test_milestones.py): a project in planning with its people, and browsers
signed in as each of them."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import AuditEvent, ProjectMember
from tests.gates.flow import BrowserClient, fresh, make_project  # noqa: F401 - re-exported
from tests.support.factories import CSRF_RE, login_as, make_user

#: who acts in the permission matrices → the `cast` key of that person
ACTORS = {
    "owner": "ola",
    "manager": "kari",
    "admin": "admin",
    "member": "nils",      # a named project role (prosjektdeltaker) without edit rights here
    "employee": "randi",   # any other employee
    "ikt": "per",
    "personvern": "siri",
    "portefolje": "lise",
}
#: who may edit the roles (other than owner and manager), the plan and the milestones
EDITORS = {"owner", "manager", "admin"}

_ERROR_RE = re.compile(r'class="ds-validation-message"[^>]*>([^<]*)<')


@pytest.fixture()
def cast(users):
    """The users fixture plus Nils, who is a prosjektdeltaker in the project."""
    return {**users, "nils": make_user("nils", display_name="Nils Bakke", unit="Helse og omsorg",
                                       leader="ola")}


@pytest.fixture()
def project(cast):
    """A project in planning: Ola owns it, Kari leads it, Nils is a member, Ida submitted it."""
    p = make_project(cast, title="Digital tilsynsrapport", stage="planning", owner="ola",
                     manager="kari")
    db.session.add(ProjectMember(project_id=p.id, user_id=cast["nils"].id, role="member"))
    db.session.commit()
    return p


def signed_in_clients(app, people: dict):
    """`f("ola")` or `f("ola", htmx=True)`: a client of its own per person, signed in."""
    clients = {}

    def signed_in(name: str, htmx: bool = False):
        key = (name, htmx)
        if key not in clients:
            client = BrowserClient(app, app.response_class, use_cookies=True)
            if htmx:
                client.environ_base["HTTP_HX_REQUEST"] = "true"
            login_as(client, people[name])
            clients[key] = client
        return clients[key]

    return signed_in


@pytest.fixture()
def browser(app, cast):
    """`browser("ola")` or `browser("ola", htmx=True)`: a client of its own, signed in."""
    return signed_in_clients(app, cast)


def token(client, page: str) -> str:
    """The CSRF token the page gives this client (read from the full page, as a browser has it)."""
    html = client.get(page, headers={"HX-Request": "false"}).get_data(as_text=True)
    return CSRF_RE.search(html).group(1)


def post(client, url: str, data: dict, *, page: str):
    """POST a form as the page would send it (with its CSRF token)."""
    return client.post(url, data={"csrf_token": token(client, page), **data})


def field_errors(response) -> list[str]:
    """The validation messages shown beside the fields."""
    return [m.strip() for m in _ERROR_RE.findall(response.get_data(as_text=True))]


def hidden(html: str, name: str) -> str:
    """The value of a hidden input in a page."""
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def events(project_id: int, action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.project_id == project_id, AuditEvent.action == action)
        .order_by(AuditEvent.id)))


def event_count(project_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.project_id == project_id))
