"""Projects whose owner or manager has left the kommune (found by `flask directory sync`).

Listed for the portfolio role (portefolje) and administrators, who see to it that
someone new is named; each project also says so itself (templates/projects/_layout.html).
"""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select, union

from app.extensions import db
from app.models import Project, User
from app.portfolio import bp

def can_see_leavers(user) -> bool:
    """The portfolio role and administrators follow up projects left without people."""
    return user.is_authenticated and (user.is_admin or user.has_role("portefolje"))


#: stages in which nobody needs to be named any more
FINISHED = ("draft", "completed", "rejected", "withdrawn")


def _with_leavers():
    """WHERE conditions on Project: running, with an owner or a manager who has left.

    Read from the people who left (few) through the indexes on owner_id and manager_id,
    so that the portfolio page's count costs the same at 1,000 and at 50,000 projects
    (joining every project to its owner and manager scanned the whole portfolio)."""
    left = select(User.id).where(User.active.is_(False))
    ids = union(select(Project.id).where(Project.owner_id.in_(left)),
                select(Project.id).where(Project.manager_id.in_(left)))
    return (Project.id.in_(ids), Project.stage.notin_(FINISHED))


def projects_with_leavers() -> list[Project]:
    """Running projects whose owner or manager is inactive, by id."""
    return list(db.session.scalars(select(Project).where(*_with_leavers()).order_by(Project.id)))


def count_projects_with_leavers() -> int:
    """How many projects projects_with_leavers() lists (one count, no rows read)."""
    return db.session.scalar(select(func.count()).select_from(Project).where(*_with_leavers()))


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
        return count_projects_with_leavers() if can_see_leavers(current_user) else 0
    return {"leavers_count": count}
