"""Projects whose owner or manager has left: the portfolio page counts them for the
portfolio role, the list names them, and finished projects are left out."""
from __future__ import annotations

from app.extensions import db
from tests.portfolio import builders as b


def _left(user) -> None:
    user.active = False
    db.session.commit()


def test_the_overview_counts_running_projects_whose_owner_or_manager_left(as_user, users):
    running = b.project(users, "Digital byggesøknad", stage="execution", owner="ola", manager="kari")
    b.project(users, "Ny turnusløsning", stage="planning", owner="randi", manager="ida")
    b.project(users, "Gammel arkivløsning", stage="completed", owner="ola", manager="kari")
    lise = as_user("lise")
    assert "har en eier eller leder som har sluttet" not in lise.get("/portfolio").get_data(as_text=True)

    _left(users["kari"])  # manages one running and one completed project
    page = lise.get("/portfolio").get_data(as_text=True)
    assert "1 prosjekt har en eier eller leder som har sluttet" in page
    listing = lise.get("/portfolio/leavers").get_data(as_text=True)
    assert "Digital byggesøknad" in listing and "Gammel arkivløsning" not in listing

    _left(users["randi"])  # owns the other running project
    page = lise.get("/portfolio").get_data(as_text=True)
    assert "2 prosjekter har en eier eller leder som har sluttet" in page
    listing = lise.get("/portfolio/leavers").get_data(as_text=True)
    assert listing.index("Digital byggesøknad") < listing.index("Ny turnusløsning")
    assert running.title in listing


def test_only_the_portfolio_role_and_admins_see_them(as_user, users):
    b.project(users, "Digital byggesøknad", stage="execution", owner="ola", manager="kari")
    _left(users["kari"])
    assert "har sluttet" not in as_user("per").get("/portfolio").get_data(as_text=True)
    assert as_user("per").get("/portfolio/leavers").status_code == 403
    assert "1 prosjekt har en eier" in as_user("admin").get("/portfolio").get_data(as_text=True)
