"""The project's tabs in groups, so that they fit one row at 1,280 px.

Each group is one entry of the top row and opens its first tab; a group of several tabs
shows them as a second row when one of them is open.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.templating import project_tabs

#: (group key, label, the tab keys in it, in order); tab keys are those of PROJECT_TABS
TAB_GROUPS = (
    ("overview", _l("Oversikt"), ("overview",)),
    ("plan", _l("Plan"), ("plan", "roles", "milestones", "economy")),
    ("follow_up", _l("Oppfølging"), ("status", "changes", "risks")),
    ("benefits", _l("Gevinster"), ("benefits",)),
    ("stakeholders", _l("Interessenter"), ("stakeholders",)),
    ("tasks", _l("IKT og personvern"), ("tasks",)),
    ("gates", _l("Beslutninger"), ("gates",)),
    ("history", _l("Historikk"), ("history",)),
)


@dataclass(frozen=True)
class TabGroup:
    key: str
    label: str
    #: the URL of its first tab
    href: str
    #: (key, url, label) of its tabs
    tabs: list[tuple[str, str, str]]

    def holds(self, tab_key: str | None) -> bool:
        return any(key == tab_key for key, _href, _label in self.tabs)


def project_tab_groups(project) -> list[TabGroup]:
    """The groups whose tabs exist, each with its tabs (a tab in no group is its own)."""
    tabs = {key: (key, href, label) for key, href, label in project_tabs(project)}
    groups, placed = [], set()
    for key, label, keys in TAB_GROUPS:
        members = [tabs[k] for k in keys if k in tabs]
        if members:
            groups.append(TabGroup(key, str(label), members[0][1], members))
            placed.update(k for k in keys)
    for key, tab in tabs.items():
        if key not in placed:
            groups.append(TabGroup(key, tab[2], tab[1], [tab]))
    return groups
