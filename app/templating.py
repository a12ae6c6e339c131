"""Template helpers: dates in Oslo time, the navigation, and the htmx flag."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import format_date, format_datetime, gettext

from app.workflow.i18n import N_


#: date patterns written in Norwegian, as English writes them (the month names follow
#: the locale by themselves); patterns not listed are the same in every language
_ENGLISH_PATTERNS = {
    "d. MMM yyyy 'kl.' HH:mm": "d MMM yyyy, HH:mm",
    "d. MMM yyyy": "d MMM yyyy",
    "d. MMMM yyyy": "d MMMM yyyy",
    "d.M.yyyy": "d/M/yyyy",
    "d.M.": "d/M",
}


def localized_pattern(fmt: str) -> str:
    """A Norwegian date pattern as the current language writes it."""
    from app.i18n import current_locale

    return _ENGLISH_PATTERNS.get(fmt, fmt) if current_locale() == "en" else fmt


def oslo_datetime(value: datetime | None, fmt: str = "d. MMM yyyy 'kl.' HH:mm") -> str:
    """A UTC time shown in Oslo time, written the current language's way (the timezone
    of flask-babel is Europe/Oslo)."""
    return format_datetime(value, localized_pattern(fmt)) if value else ""


def oslo_date(value: date | datetime | None, fmt: str = "d. MMM yyyy") -> str:
    """A date written the current language's way ("4. des. 2026", "4 Dec 2026")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, localized_pattern(fmt))
    return format_date(value, localized_pattern(fmt))


def stage_label(code: str) -> str:
    from app.workflow import Stage

    try:
        return gettext(Stage(code).label)
    except ValueError:
        return code


def stage_order(code: str) -> int:
    from app.workflow import Stage

    return Stage(code).order


def phases_list():
    from app.workflow import PHASES

    return PHASES


def current_gate_code(project) -> str:
    """The gate the project stands before, or the last one it met."""
    from app.workflow import Gate, Stage

    gate = Gate.for_stage(Stage(project.stage))
    if gate is not None:
        return gate.value
    if project.gate_requests:
        return project.gate_requests[-1].gate
    return "BP6" if project.stage == "completed" else "BP1"


def yes_no(value: str | None) -> str:
    return {"yes": gettext("Ja"), "no": gettext("Nei"), "unknown": gettext("Vet ikke")}.get(value or "", "–")


#: the project's tabs: key, endpoint, label (the plan tabs are `plan.<key>`)
PROJECT_TABS = (
    ("overview", "projects.show_project", N_("Oversikt")),
    ("roles", "plan.roles", N_("Roller")),
    ("plan", "plan.plan", N_("Plan")),
    ("milestones", "plan.milestones", N_("Milepæler")),
    ("economy", "plan.economy", N_("Økonomi")),
    ("benefits", "plan.benefits", N_("Gevinster")),
    ("risks", "plan.risks", N_("Risiko")),
    ("stakeholders", "plan.stakeholders", N_("Interessenter")),
    ("status", "plan.status", N_("Status")),
    ("changes", "plan.changes", N_("Endringer")),
    ("tasks", "plan.tasks", N_("IKT og personvern")),
    ("gates", "gates.show_gate", N_("Beslutningspunkter")),
    ("history", "projects.project_history", N_("Historikk")),
)


def project_tabs(project) -> list[tuple[str, str, str]]:
    """(key, url, label) for each tab whose view exists."""
    endpoints = current_app.view_functions
    tabs = []
    for key, endpoint, label in PROJECT_TABS:
        if endpoint not in endpoints:
            continue
        args = {"project_id": project.id}
        if key == "gates":
            args["gate_code"] = project.open_request.gate if project.open_request else current_gate_code(project)
        tabs.append((key, url_for(endpoint, **args), gettext(label)))
    return tabs


#: the main menu: endpoint, label, the app role needed (None: everyone)
MAIN_NAV = (
    ("main.index", N_("Mitt"), None),
    ("ideas.new_idea", N_("Ny idé"), None),
    ("projects.list_projects", N_("Alle prosjekter"), None),
    ("portfolio.overview", N_("Portefølje"), None),
    ("ikt.queue", N_("IKT-oppgaver"), "ikt"),
    ("privacy.queue", N_("Personvern"), "personvern"),
    ("people.owner_grants", N_("Prosjekteiere"), "admin"),
)


def nav_items() -> list[tuple[str, str, tuple[str, ...]]]:
    """The menu entries the signed-in person may use (areas not built yet are left out)."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, role in MAIN_NAV:
        if endpoint not in current_app.view_functions:
            continue
        if role and not (current_user.has_role(role) or current_user.is_admin):
            continue
        items.append((endpoint, gettext(label), SECTIONS.get(endpoint, ())))
    return items


#: blueprints whose pages belong to a menu entry's section (highlighted as current)
SECTIONS = {
    "projects.list_projects": ("projects", "plan", "gates"),
    "portfolio.overview": ("portfolio",),
    "ikt.queue": ("ikt",),
    "privacy.queue": ("privacy",),
    "people.owner_grants": ("people",),
}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(stage_label=stage_label, project_stage_order=stage_order,
                                 phases_list=phases_list, current_gate_code=current_gate_code,
                                 project_tabs=project_tabs, yes_no=yes_no)
    app.jinja_env.filters["datetime"] = oslo_datetime
    app.jinja_env.filters["date"] = oslo_date
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _globals():
        from app.i18n import LOCALE_NAMES, LOCALES, current_locale

        if not has_request_context():  # e-mail bodies and the demo's PDFs, outside a request
            return {"html_lang": current_locale()}
        return {"is_htmx": request.headers.get("HX-Request") == "true", "nav_items": nav_items(),
                "html_lang": current_locale(), "locales": LOCALES, "locale_names": LOCALE_NAMES}
