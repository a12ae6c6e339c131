"""What the risks tab shows: the matrix, the register's rows and forms, the ITPOSMO card,
and the whole page. Each component is a template in templates/plan/risks/."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.models.risk import (ITPOSMO_DIMENSION_LIMIT, ITPOSMO_DIMENSIONS, ITPOSMO_MAX, ITPOSMO_TOTAL_LIMIT,
                             LEVEL_LABELS, RISK_KINDS, RISK_STATUSES, RISK_STRATEGIES, SCALE, Risk, score_level)
from app.plan.child_views import Components
from app.plan.common import children_of, render_swap, render_tab
from app.plan.risks.forms import CONSEQUENCE_LABELS, PROBABILITY_LABELS, itposmo_edit_form, new_risk_form
from app.plan.risks.operations import itposmo_of

PAGE = "plan/risks/tab.html"
ROW = "plan/risks/_row.html"
FORM = "plan/risks/_form.html"
MATRIX = "plan/risks/_matrix.html"
ITPOSMO = "plan/risks/_itposmo.html"


def risks_of(project) -> list[Risk]:
    """All the project's risks and opportunities, highest score first."""
    return children_of(project, Risk, Risk.score.desc(), Risk.id, options=[joinedload(Risk.responsible)])


def _cell_filter() -> tuple[int, int] | None:
    """The matrix cell chosen with ?p=4&c=5, or None (anything else is ignored)."""
    p, c = request.args.get("p", ""), request.args.get("c", "")
    if p in {"1", "2", "3", "4", "5"} and c in {"1", "2", "3", "4", "5"}:
        return int(p), int(c)
    return None


def _after_view() -> bool:
    """?vis=etter shows the matrix as the risks stand once their actions are carried out.

    The tab sends it with every htmx request too (hx-vals on the tab, see tab.html), so
    the matrix an edit redraws stays in the view the person chose."""
    return request.values.get("vis") == "etter"


def position(r: Risk, after: bool = False) -> tuple[int, int]:
    """Where the risk stands in the matrix: before its action, or after it (a risk without
    an assessment after action stays where it is)."""
    if after and r.probability_after and r.consequence_after:
        return r.probability_after, r.consequence_after
    return r.probability, r.consequence


def matrix(risks: list[Risk], after: bool = False) -> dict[tuple[int, int], int]:
    """(probability, consequence) → number of open risks (opportunities are not counted)."""
    counts = {(p, c): 0 for p in SCALE for c in SCALE}
    for r in risks:
        if r.kind == "risk" and r.status == "open" and position(r, after) in counts:
            counts[position(r, after)] += 1
    return counts


def _matrix_context(risks, cell=None, after: bool = False) -> dict:
    return dict(counts=matrix(risks, after), cell=cell, after=after, level_of=score_level, level_labels=LEVEL_LABELS,
                probability_labels=PROBABILITY_LABELS, consequence_labels=CONSEQUENCE_LABELS,
                open_risks=sum(1 for r in risks if r.kind == "risk" and r.status == "open"),
                open_opportunities=sum(1 for r in risks if r.kind == "opportunity" and r.status == "open"))


def _labels() -> dict:
    return dict(kinds=RISK_KINDS, strategies=RISK_STRATEGIES, statuses=RISK_STATUSES,
                level_labels=LEVEL_LABELS)


def _row_context(risk, *, notice: str = "") -> dict:
    return dict(r=risk, notice=notice)


def _form_context(form, risk=None, *, conflict=None) -> dict:
    return dict(form=form, r=risk, conflict=conflict)


def itposmo_context(project, *, form=None, editing: bool = False, conflict=None, notice: str = "") -> dict:
    """The ITPOSMO card: the scores, or the form (`editing`, or a refused `form`)."""
    assessment = itposmo_of(project)
    if form is None and editing:
        form = itposmo_edit_form(assessment)
    scores = assessment.scores() if assessment else {}
    return dict(
        a=assessment, form=form, editing=editing or form is not None, conflict=conflict, notice=notice,
        dimensions=ITPOSMO_DIMENSIONS, scores=scores, max_score=ITPOSMO_MAX,
        total_limit=ITPOSMO_TOTAL_LIMIT, dimension_limit=ITPOSMO_DIMENSION_LIMIT, join_and=join_and,
    )


def join_and(items) -> str:
    """["A", "B", "C"] → "A, B og C"."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _("og") + " " + items[-1]


def page(project, status: int = 200, *, new_form=None, edit: tuple | None = None, itposmo: dict | None = None):
    """The whole tab (a plain request, or a refused form without JavaScript); `edit` =
    (risk, form, conflict) shows that risk's form in place of its row."""
    risks = risks_of(project)
    cell, after = _cell_filter(), _after_view()
    by_id = {r.id: r for r in risks}
    listed = [r for r in risks if r.kind == "risk" and r.status == "open"
              and position(r, after) == cell] if cell else risks
    ctx = dict(
        project=project, active_tab="risks", cell=cell,
        open_items=[r for r in listed if r.status == "open"],
        closed_items=[r for r in listed if r.status != "open"],
        rows={r.id: _row_context(r) for r in risks},
        edits={edit[0].id: _form_context(edit[1], by_id.get(edit[0].id), conflict=edit[2])} if edit else {},
        new_ef=_form_context(new_form or new_risk_form()),
        mx=_matrix_context(risks, cell, after), it=itposmo or itposmo_context(project), oob=False,
        **_labels(),
    )
    return render_tab(PAGE, None, status, **ctx)


def row_html(project, risk, *, notice: str = "", changed: bool = False) -> str:
    """A risk's row; `changed` (a saved change) redraws the matrix out of band."""
    extra = dict(also=MATRIX, mx=_matrix_context(risks_of(project), after=_after_view())) if changed else {}
    return _swap(ROW, project, row=_row_context(risk, notice=notice), **extra)


def form_html(project, form, risk=None, *, conflict=None) -> str:
    """The risk form alone: the new-risk form, or an edit in place of the risk's row."""
    return _swap(FORM, project, ef=_form_context(form, risk, conflict=conflict))


def added_html(project, risk, notice: str) -> str:
    """After adding: an empty form, the new row at the top of its table and the matrix,
    both out of band."""
    target = "#risk-rows-open" if risk.status == "open" else "#risk-rows-closed"
    return _swap(FORM, project, ef=_form_context(new_risk_form()),
             added=ROW, into=target, where="afterbegin",
             row=_row_context(risk, notice=notice),
             also=MATRIX, mx=_matrix_context(risks_of(project), after=_after_view()))


def matrix_html(project) -> str:
    """The matrix alone, out of band (after a deleted risk)."""
    return _swap(None, project, also=MATRIX, mx=_matrix_context(risks_of(project), after=_after_view()))


def itposmo_html(project, **kwargs) -> str:
    """The ITPOSMO card (or its form) alone."""
    return render_template(ITPOSMO, project=project, it=itposmo_context(project, **kwargs))


def _swap(main, project, **ctx) -> str:
    return render_swap(main, project=project, **_labels(), **ctx)


#: the register's rows as app.plan.child_views adds, edits and deletes them
COMPONENTS = Components(row_html, form_html, added_html, page, deleted=matrix_html)
