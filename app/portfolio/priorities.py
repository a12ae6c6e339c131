"""Prioritising (/portfolio/priorities): the ranked list of ideas and projects, and the
scoring form on the five criteria that only the portefolje role and administrators use."""
from __future__ import annotations

from dataclasses import replace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.concurrency import StaleEdit, editing
from app.extensions import db
from app.models.portfolio import PRIORITY_CRITERIA, PRIORITY_MAX, PriorityScore
from app.paging import paginate
from app.portfolio import bp, services
from app.portfolio.forms import PriorityForm
from app.portfolio.filters import PortfolioFilter
from app.portfolio.query import portfolio_query
from app.projects.access import get_submitted_project_or_404, require
from app.templating import stage_label

#: the stages whose projects are prioritised by default (still open for decisions)
ACTIVE_STAGES = ("idea", "concept", "planning", "execution")


@bp.route("/priorities")
@login_required
def priorities():
    """The ranked list: scored ideas and projects by priority, then those not yet scored."""
    filt = PortfolioFilter.from_args(request.args)
    stages_given = bool(filt.stages)
    filt = replace(filt, sort="priority", direction="desc", stages=filt.stages or ACTIVE_STAGES)
    page = paginate(portfolio_query(current_user, filt), filt.page, filt.per_page)
    ids = [p.id for p in page.items]
    scores = {s.project_id: s for s in db.session.execute(
        select(PriorityScore).where(PriorityScore.project_id.in_(ids))
        .options(joinedload(PriorityScore.scored_by))).scalars()} if ids else {}
    # Scored ones come first (unscored sort last), so a row's rank is its place in the list.
    first_rank = (page.page - 1) * page.per_page
    return render_template("portfolio/priorities.html", page=page, scores=scores, filt=filt,
                           stages_given=stages_given, first_rank=first_rank,
                           criteria=PRIORITY_CRITERIA, priority_max=PRIORITY_MAX,
                           PriorityScore=PriorityScore,
                           stage_choices=[(s, stage_label(s)) for s in
                                          ("idea", "concept", "planning", "execution", "handover",
                                           "realisation")])


def _score_of(project) -> PriorityScore | None:
    return db.session.execute(select(PriorityScore).where(PriorityScore.project_id == project.id)
                              .options(joinedload(PriorityScore.scored_by))).scalar_one_or_none()


@bp.route("/priorities/<int:project_id>", methods=["GET", "POST"])
@login_required
def score_project(project_id: int):
    """Score one idea or project on the five criteria (portefolje and administrators)."""
    project = get_submitted_project_or_404(project_id)
    require(project.can_score(current_user))
    current = _score_of(project)
    if request.method == "GET":
        form = PriorityForm(formdata=None, data={
            **({c: str(v) for c, v in current.scores().items()} if current else {}),
            "comment": current.comment if current else "",
            "version": str(current.version) if current else ""})
        return render_template("portfolio/score.html", project=project, form=form, current=current,
                               criteria=PRIORITY_CRITERIA, priority_max=PRIORITY_MAX)
    form = PriorityForm()
    stale = False
    if form.validate_on_submit():
        seen = form.version.data or ""
        scores = {code: int(getattr(form, code).data) for code in PRIORITY_CRITERIA}
        try:
            if current is None and seen:
                raise StaleEdit(None)
            if current is None:
                score = services.score_project(project, scores, form.comment.data or "", current_user)
            else:
                with editing(current, seen):
                    score = services.score_project(project, scores, form.comment.data or "", current_user)
        except StaleEdit:
            stale = True
            db.session.rollback()
            current = _score_of(project)
        else:
            flash(_("«%(t)s» har fått prioritet %(p)s av %(m)s.", t=project.title, p=score.priority,
                    m=PRIORITY_MAX), "success")
            return redirect(url_for("portfolio.priorities") + f"#project-{project.id}")
    if stale:  # a second save overwrites what the other person saved, knowingly
        form.version.data = str(current.version) if current else ""
    status = 409 if stale else 422
    return render_template("portfolio/score.html", project=project, form=form, current=current,
                           criteria=PRIORITY_CRITERIA, priority_max=PRIORITY_MAX, stale=stale), status
