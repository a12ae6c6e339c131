"""Calendar feed addresses: how Outlook, Google Calendar or Apple Calendar read a
person's Faseport dates. Like the API tokens, only a hash of the secret is kept."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class CalendarFeed(db.Model):
    """One subscribable address: the person's own calendar (project_id None) or one
    project's calendar as that person may see it. Revoked addresses never work again."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: whose visibility the feed has (it shows only what this person may see)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: None: the person's own dates across projects; else this project's dates
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), nullable=True, index=True)
    #: the public part of the address, for lookup and for recognising it in the list
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    #: SHA-256 (hex) of the whole secret
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last time a calendar fetched it (written at most once an hour)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship()
    project = relationship("Project")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def can_revoke(self, user) -> bool:
        """Only the feed's own person revokes it (others do not even see it)."""
        return user is not None and getattr(user, "is_authenticated", False) and user.id == self.user_id

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.prefix} user={self.user_id} project={self.project_id}>"
