"""What the stakeholders tab shows: the interest × influence grid, the rows and forms of
stakeholders and activities, and the whole page (templates/plan/stakeholders/)."""
from __future__ import annotations

from sqlalchemy.orm import joinedload

from app.models.stakeholder import ACTIVITY_STATUSES, CHANNELS, LEVELS, CommunicationActivity, Stakeholder, approach
from app.plan.child_views import Components
from app.plan.common import children_of, render_swap, render_tab
from app.plan.stakeholders.forms import new_activity_form, stakeholder_form

PAGE = "plan/stakeholders/tab.html"
GRID = "plan/stakeholders/_grid.html"
S_ROW = "plan/stakeholders/_row.html"
S_FORM = "plan/stakeholders/_form.html"
A_ROW = "plan/stakeholders/_activity_row.html"
A_FORM = "plan/stakeholders/_activity_form.html"


def stakeholders_of(project) -> list[Stakeholder]:
    """The stakeholders, most influential and interested first."""
    return children_of(project, Stakeholder,
                       Stakeholder.influence.desc(), Stakeholder.interest.desc(), Stakeholder.name)


def activities_of(project) -> list[CommunicationActivity]:
    """The communication plan, by planned date."""
    return children_of(project, CommunicationActivity,
                       CommunicationActivity.planned_on.asc().nulls_last(), CommunicationActivity.id,
                       options=[joinedload(CommunicationActivity.stakeholder),
                                joinedload(CommunicationActivity.responsible)])


def _grid_context(stakeholders) -> dict:
    """The interest × influence grid: (influence, interest) → stakeholders."""
    cells = {(inf, i): [] for inf in LEVELS for i in LEVELS}
    for s in stakeholders:
        cells.setdefault((s.influence, s.interest), []).append(s)
    return dict(cells=cells, levels=LEVELS, approach=approach, names=sorted({s.name for s in stakeholders}))


def _labels() -> dict:
    return dict(levels=LEVELS, channels=CHANNELS, activity_statuses=ACTIVITY_STATUSES)


def _s_row_context(s, *, notice: str = "") -> dict:
    return dict(s=s, notice=notice)


def _a_row_context(a, *, notice: str = "") -> dict:
    return dict(a=a, notice=notice)


def _s_form_context(form, s=None, conflict=None) -> dict:
    return dict(form=form, s=s, conflict=conflict)


def _a_form_context(form, a=None, conflict=None) -> dict:
    return dict(form=form, a=a, conflict=conflict)


def page(project, status: int = 200, *, new_s=None, new_a=None, s_edits=None, a_edits=None):
    """The whole tab (a plain request, or a refused form without JavaScript): `s_edits` and
    `a_edits` map a stakeholder's or an activity's id to its (form, conflict)."""
    stakeholders = stakeholders_of(project)
    activities = activities_of(project)
    s_by_id = {s.id: s for s in stakeholders}
    a_by_id = {a.id: a for a in activities}
    ctx = dict(
        project=project, active_tab="stakeholders", stakeholders=stakeholders, activities=activities,
        s_rows={s.id: _s_row_context(s) for s in stakeholders},
        a_rows={a.id: _a_row_context(a) for a in activities},
        s_edits={sid: _s_form_context(f, s_by_id.get(sid), c) for sid, (f, c) in (s_edits or {}).items()},
        a_edits={aid: _a_form_context(f, a_by_id.get(aid), c) for aid, (f, c) in (a_edits or {}).items()},
        new_sf=_s_form_context(new_s or stakeholder_form("news_")),
        new_af=_a_form_context(new_a or new_activity_form(project)),
        grid=_grid_context(stakeholders), oob=False, **_labels(),
    )
    return render_tab(PAGE, None, status, **ctx)


def _swap(main, project, *, with_grid: bool = False, **ctx) -> str:
    if with_grid:
        ctx.update(also=GRID, grid=_grid_context(stakeholders_of(project)))
    return render_swap(main, project=project, **_labels(), **ctx)


def stakeholder_row_html(project, s, *, notice: str = "", changed: bool = False) -> str:
    """A stakeholder's row; `changed` (a saved change) redraws the grid out of band."""
    return _swap(S_ROW, project, row=_s_row_context(s, notice=notice), with_grid=changed)


def stakeholder_form_html(project, form, s=None, conflict=None) -> str:
    """The stakeholder form alone (new, or in place of the row)."""
    return _swap(S_FORM, project, sf=_s_form_context(form, s, conflict))


def stakeholder_added_html(project, s, notice: str) -> str:
    """After adding: an empty form, the new row and the grid (both out of band)."""
    return _swap(S_FORM, project, sf=_s_form_context(stakeholder_form("news_")),
                 added=S_ROW, into="#stakeholder-rows", row=_s_row_context(s, notice=notice),
                 with_grid=True)


def grid_html(project) -> str:
    """The grid alone, out of band (after a deleted stakeholder)."""
    return _swap(None, project, with_grid=True)


def activity_row_html(project, a, *, notice: str = "", changed: bool = False) -> str:
    """An activity's row (nothing else shows an activity: `changed` adds nothing)."""
    return _swap(A_ROW, project, row=_a_row_context(a, notice=notice))


def activity_form_html(project, form, a=None, conflict=None) -> str:
    """The activity form alone (new, or in place of the row)."""
    return _swap(A_FORM, project, af=_a_form_context(form, a, conflict))


def activity_added_html(project, a, notice: str) -> str:
    """After adding: an empty form and the new row out of band."""
    return _swap(A_FORM, project, af=_a_form_context(new_activity_form(project)),
                 added=A_ROW, into="#activity-rows", row=_a_row_context(a, notice=notice))


def _page_with(kind: str):
    """The page for app.plan.child_views: a refused new form or an edit of one kind."""
    def page_with(project, status: int, *, new_form=None, edit=None):
        edits = {edit[0].id: (edit[1], edit[2])} if edit else None
        return page(project, status, **{f"new_{kind}": new_form, f"{kind}_edits": edits})
    return page_with


#: the stakeholders' and the activities' rows as app.plan.child_views adds, edits and
#: deletes them
STAKEHOLDERS = Components(stakeholder_row_html, stakeholder_form_html, stakeholder_added_html, _page_with("s"),
                          deleted=grid_html)
ACTIVITIES = Components(activity_row_html, activity_form_html, activity_added_html, _page_with("a"))
