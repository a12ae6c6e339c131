"""The demo data as the ground for the pressure tests: real records of every kind, and
their ids for the URL map's `<int:…>` parts."""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser

from app.extensions import db
from app.models import Milestone, PlanGoal, Project, User
from app.models.benefit import Benefit, BenefitMeasurement
from app.models.change_request import ChangeRequest
from app.models.risk import Risk
from app.models.stakeholder import CommunicationActivity, Stakeholder
from app.models.status_report import StatusReport
from app.models.task import TechnicalTask

#: URL part → the model whose ids it takes (the project's own records where it has any)
ID_MODELS = {"risk_id": Risk, "benefit_id": Benefit, "stakeholder_id": Stakeholder,
             "activity_id": CommunicationActivity, "milestone_id": Milestone, "goal_id": PlanGoal,
             "change_id": ChangeRequest, "report_id": StatusReport, "task_id": TechnicalTask,
             "measurement_id": BenefitMeasurement}
OTHER_VALUES = {"gate_code": ["BP1", "BP2", "BP3", "BP4", "BP5", "BP6"],
                "section": ["background", "purpose", "scope", "involvement", "frame"],
                "kind": ["impact", "result", "effect"], "role": ["member", "reference", "steering"],
                "item_key": ["fits_strategy", "need_described"]}


def env_count(name: str, default: int) -> int:
    """A count the README documents: small in CI, the full one by environment variable."""
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


def load_demo(db_) -> dict:
    """Load the demo data; return the users and the busiest running project."""
    from app.demo import load

    load()
    users = {u.username: u for u in db_.session.execute(db_.select(User)).scalars()}
    counts = {}
    for (pid,) in db_.session.execute(db_.select(Risk.project_id)):
        counts[pid] = counts.get(pid, 0) + 1
    busiest = max(counts, key=counts.get)
    return {"users": users, "project": db_.session.get(Project, busiest)}


def ids_for(arg: str, project_id: int) -> list:
    if arg in OTHER_VALUES:
        return OTHER_VALUES[arg]
    if arg == "project_id":
        return [project_id]
    model = ID_MODELS.get(arg)
    if model is None:
        return [1]
    query = db.select(model.id)
    if hasattr(model, "project_id"):
        query = query.where(model.project_id == project_id)
    found = [i for (i,) in db.session.execute(query.limit(20))]
    return found or [1]


class FormParser(HTMLParser):
    """Every form of a page: action and its fields with the values shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._field = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": [], "hx": a.get("hx-post") or ""})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                fields.append({"name": a["name"], "value": None, "type": kind, "option": a.get("value") or "on"})
                return
            fields.append({"name": a["name"], "value": a.get("value") or ("on" if kind == "checkbox" else ""),
                           "type": kind})
        elif tag == "textarea" and a.get("name"):
            self._field = {"name": a["name"], "value": "", "type": "textarea"}
            fields.append(self._field)
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "value": None, "type": "select", "first": None}
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["value"] = value

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._field = None
        elif tag == "select" and self._select is not None:
            if self._select["value"] is None:
                self._select["value"] = self._select["first"] or ""
            self._select = None

    def handle_data(self, data):
        if self._field is not None:
            self._field["value"] += data


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def form_data(form: dict) -> dict[str, list[str]]:
    """What the browser would send for this form as it stands."""
    data: dict[str, list[str]] = {}
    for f in form["fields"]:
        if f["value"] is None:
            continue
        data.setdefault(f["name"], []).append(f["value"])
    return data


def names_on(html: str) -> set[str]:
    return set(re.findall(r'\bname="([^"]+)"', html))
