"""Sign-in limits that slow down guessing without ever locking staff out.

Only failed attempts count; a successful sign-in never counts against anyone. Two
limits, both over LOGIN_WINDOW_SECONDS:

1. **Per username and address** (LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS): the address
   that keeps typing a wrong password for a name is held back for that name. Colleagues
   behind the same NAT or proxy, and the same person from another address, are not.
2. **Per username** (LOGIN_MAX_FAILURES_PER_USER, keep it below Active Directory's
   lockout threshold): once that many failures for a name came in from anywhere, the
   name is in "slow mode": addresses that failed for it are held back, and any other
   address gets at most one try per LOGIN_SLOW_SECONDS. The right password from an
   address that has not been guessing still signs in (at worst after that short wait),
   while a guesser gets a handful of tries an hour instead of thousands.

The check and the count are one atomic step: `reserve()` serialises all attempts for a
username (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), counts, and writes
a *pending* attempt that counts as a failure until `finish()` says otherwise. So forty
parallel wrong passwords cannot slip past the limit between check and count, whichever
worker or server they reach.

`reserve()` and `finish()` run in short transactions of their own, committed at once:
other workers must see the pending attempt before the directory is asked. This is the one
deliberate exception to "one commit per request" in the sign-in path; it never touches
the request's session.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from app.extensions import db
from app.models import LoginAttempt
from app.models.base import utcnow

PENDING = "pending"
FAILED = "failed"
#: states that count against the limits
COUNTED = (PENDING, FAILED)


@dataclass(frozen=True)
class Held:
    """The attempt is not let through to the directory; try again at `retry_at`."""

    retry_at: datetime
    #: "address": this address failed too often for the name; "user": the name is in slow mode
    reason: str

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - utcnow()).total_seconds()))


@dataclass(frozen=True)
class Reservation:
    """A let-through attempt, counted as a failure until `finish()` is called."""

    attempt_id: int
    username: str
    ip: str


def reserve(username: str, ip: str) -> Reservation | Held:
    """Check the limits and, when the attempt may go ahead, count it — atomically."""
    cfg = current_app.config
    name = username.strip().lower()
    now = utcnow()
    window = timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    per_pair = cfg["LOGIN_MAX_FAILURES_PER_USER_AND_ADDRESS"]
    per_user = cfg["LOGIN_MAX_FAILURES_PER_USER"]
    slow = timedelta(seconds=cfg["LOGIN_SLOW_SECONDS"])
    with _serialised(name) as conn:
        # Attempts that have left the window count no more: forget them (indexed on `at`,
        # so this is cheap, and the table stays as small as the window).
        conn.execute(delete(LoginAttempt).where(LoginAttempt.at < now - window))
        counted = (LoginAttempt.username == name) & LoginAttempt.state.in_(COUNTED) & (
            LoginAttempt.at >= now - window)
        times = list(conn.execute(
            select(LoginAttempt.at, LoginAttempt.ip).where(counted).order_by(LoginAttempt.at)
        ))
        from_here = [at for at, address in times if address == ip]
        if len(from_here) >= per_pair:
            # Free again when enough of this address's failures have left the window.
            return Held(from_here[len(from_here) - per_pair] + window, "address")
        if len(times) >= per_user:
            # Slow mode for this name. Free again when the count drops below the ceiling.
            below_ceiling = times[len(times) - per_user][0] + window
            if from_here:
                return Held(min(below_ceiling, from_here[-1] + window), "user")
            next_slot = times[-1][0] + slow
            if next_slot > now:
                return Held(min(below_ceiling, next_slot), "user")
        attempt_id = conn.execute(
            insert(LoginAttempt).values(username=name, ip=ip, state=PENDING, at=now)
            .returning(LoginAttempt.id)
        ).scalar_one()
    return Reservation(attempt_id, name, ip)


def finish(reservation: Reservation, outcome: str) -> None:
    """Record how a reserved attempt went.

    `"failed"`: a wrong password (or unknown, disabled, locked account) — it counts.
    `"succeeded"`: the attempt and this address's earlier failures for the name are
    forgotten (the person got it right; failures from other addresses stay).
    `"unavailable"`: the directory never answered — not the person's fault, not counted.
    """
    with db.engine.begin() as conn:
        if outcome == "failed":
            conn.execute(update(LoginAttempt).where(LoginAttempt.id == reservation.attempt_id)
                         .values(state=FAILED))
        elif outcome == "succeeded":
            conn.execute(delete(LoginAttempt).where(or_(
                LoginAttempt.id == reservation.attempt_id,
                and_(LoginAttempt.username == reservation.username,
                     LoginAttempt.ip == reservation.ip),
            )))
        else:
            conn.execute(delete(LoginAttempt).where(LoginAttempt.id == reservation.attempt_id))


class _serialised:
    """A transaction on its own connection that holds a per-username lock until commit."""

    def __init__(self, name: str):
        self.name = name
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        conn = db.engine.connect()
        try:
            if conn.dialect.name == "sqlite":
                # The first statement of the transaction takes SQLite's write lock, so
                # every sign-in attempt (all names) queues here for a few milliseconds.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": _lock_key(self.name)})
            else:  # pragma: no cover - the two supported databases are above
                raise RuntimeError(f"no sign-in lock for {conn.dialect.name}")
        except BaseException:
            conn.close()
            raise
        self.conn = conn
        return conn

    def __exit__(self, exc_type, exc, tb) -> None:
        conn, self.conn = self.conn, None
        try:
            if exc_type is None:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key for a username (same in every worker)."""
    digest = hashlib.blake2b(f"faseport-login:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def count_failures(username: str) -> int:
    """Failures (and attempts in flight) for a name in the window (for tests and checks)."""
    since = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    return db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.username == username.strip().lower(),
        LoginAttempt.state.in_(COUNTED), LoginAttempt.at >= since)) or 0
