"""What the API tokens and the calendar addresses share: a secret a person holds, of
which only the public prefix and a SHA-256 hash are stored (app/personal_secrets.py
makes, finds and revokes them)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.models.base import UTCDateTime, utcnow


class PersonalSecret:
    """A secret shown once to its person, acting with that person's visibility only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the person it acts as (their visibility, nothing more)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: the public part, for lookup and for recognising it in the list
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    #: SHA-256 (hex) of the whole secret
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last time it was used (written at most once per its area's TOUCH_INTERVAL)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: when it was revoked; a revoked secret never works again
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @declared_attr
    def user(cls) -> Mapped["User"]:  # noqa: F821 - resolved by the mapper registry
        return relationship("User")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def can_revoke(self, user) -> bool:
        """Only its own person revokes it (others do not even see it)."""
        return user is not None and getattr(user, "is_authenticated", False) and user.id == self.user_id
