"""Projects whose owner or manager has left the kommune (found by `flask directory sync`).

Listed for the portfolio role (portefolje) and administrators, who see to it that
someone new is named; each project also says so itself (templates/projects/_layout.html).
"""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import or_
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Project, User
from app.portfolio import bp

def can_see_leavers(user) -> bool:
    """The portfolio role and administrators follow up projects left without people."""
    return user.is_authenticated and (user.is_admin or user.has_role("portefolje"))


def projects_with_leavers() -> list[Project]:
    """Running projects whose owner or manager is inactive, oldest departure first."""
    owner, manager = aliased(User), aliased(User)
    query = (
        db.select(Project)
        .outerjoin(owner, Project.owner_id == owner.id)
        .outerjoin(manager, Project.manager_id == manager.id)
        .where(Project.stage.notin_(("draft", "completed", "rejected", "withdrawn")))
        .where(or_(owner.active.is_(False), manager.active.is_(False)))
        .order_by(Project.id)
    )
    return list(db.session.scalars(query).unique())


@bp.route("/leavers")
@login_required
def leavers():
    """Prosjekter der eier eller leder har sluttet."""
    if not can_see_leavers(current_user):
        abort(403)
    return render_template("portfolio/leavers.html", projects=projects_with_leavers())


@bp.app_context_processor
def leavers_count():
    """`leavers_count()` for the portfolio page's link (counted only when shown)."""
    def count() -> int:
        return len(projects_with_leavers()) if can_see_leavers(current_user) else 0
    return {"leavers_count": count}
