"""Migration 0016 (the panels' stored counts) on a database of its own: it counts the
rows already there exactly as the app would count them anew, and its downgrade takes the
table away again (SQLite and, under tests.support.postgres, PostgreSQL)."""
from __future__ import annotations

from collections import Counter
from datetime import date

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.portfolio.test_sort_keys_migration import _app, _insert, fresh_url  # noqa: F401 - the fixture


def _tally(conn) -> Counter:
    rows = conn.execute(sa.text("SELECT panel, stage, unit, restricted, bucket, count FROM portfolio_tally"))
    return Counter({(p, s, u, bool(r), b): n for p, s, u, r, b, n in rows if n})


def test_0016_counts_existing_rows_as_the_app_does_and_downgrades_cleanly(fresh_url):  # noqa: F811
    app = _app(fresh_url)
    with app.app_context():
        from app.extensions import db
        from app.models.portfolio_tally import rebuild_tally

        upgrade(revision="0014")
        with db.engine.begin() as conn:
            _insert(conn, "user", id=1, directory_id="dir-1", username="u1", display_name="Åse Aas")
            for pid, stage, unit, restricted in ((1, "planning", "Økonomi", False), (2, "planning", "Økonomi", True),
                                                 (3, "idea", "Teknisk", False)):
                _insert(conn, "project", id=pid, version=1, title=f"P{pid}", stage=stage, unit=unit,
                        personal_data="yes", needs_ikt="no", restricted=restricted, submitted_by_id=1)
            for pid, p, c, status, kind in ((1, 2, 3, "open", "risk"), (1, 2, 3, "open", "risk"),
                                            (2, 5, 5, "open", "risk"), (1, 4, 4, "closed", "risk"),
                                            (1, 1, 1, "open", "opportunity")):
                _insert(conn, "risk", version=1, project_id=pid, kind=kind, description="R", probability=p,
                        consequence=c, status=status)
            _insert(conn, "benefit", id=1, version=1, project_id=1, description="Spart tid", kind="quality",
                    baseline=100.0, target=50.0, progress_category="halfway")
            _insert(conn, "benefit_measurement", benefit_id=1, measured_on=date(2026, 3, 1), value=70.0,
                    recorded_by_id=1)

        upgrade(revision="0016")
        with db.engine.begin() as conn:
            counted = _tally(conn)
            assert counted[("risk", "planning", "Økonomi", False, "2x3")] == 2
            assert counted[("risk", "planning", "Økonomi", True, "5x5")] == 1
            assert counted[("stage", "idea", "Teknisk", False, "")] == 1
            assert counted[("benefit", "planning", "Økonomi", False, "halfway")] == 1
            assert sum(n for k, n in counted.items() if k[0] == "risk") == 3  # closed and opportunities left out
            rebuild_tally(conn)
            assert _tally(conn) == counted  # the same as the app counts from scratch

        downgrade(revision="0014")
        with db.engine.connect() as conn:
            assert "portfolio_tally" not in sa.inspect(conn).get_table_names()
        upgrade()  # and up again
        db.engine.dispose()
