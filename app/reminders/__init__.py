"""Reminders from the plan: `flask reminders send` (for cron, every few minutes).

The rules live in `rules/` (one module per kind: a gate request waiting for the owner, a
status report due, a milestone coming up or overdue, a benefit measurement due, the DPIA
not done before BP3); `runner` sends each reminder once per period, and the morning
digest goes out in the same run (app.notifications.digest). Norwegian working days and
holidays are in `workdays`; periods and schedules in `periods` and `schedule`.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.reminders import cli

    cli.init_app(app)
