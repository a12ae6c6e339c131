"""Personal API tokens: how a Power BI report or a script reads /api/v1 as a person."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class ApiToken(db.Model):
    """A token a person created on their profile page. Only a hash of the secret is kept:
    the full token is shown once, right after it is created, and never again."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the person the token acts as (their visibility, nothing more)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: what the person called it, e.g. "Power BI – porteføljerapport"
    name: Mapped[str] = mapped_column(String(100))
    #: the public part of the token, for lookup and for recognising it in the list
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    #: SHA-256 (hex) of the whole token
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last request made with it (written at most once a minute)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: when it was revoked; a revoked token never works again
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def can_revoke(self, user) -> bool:
        """Only the token's own person revokes it (others do not even see it)."""
        return user is not None and getattr(user, "is_authenticated", False) and user.id == self.user_id

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} user={self.user_id}>"
