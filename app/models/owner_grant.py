"""The owner role granted by an administrator, for someone the directory does not name as
a leader (nobody reports to them there) and who is not in the owner group."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.user import User


class OwnerGrant(db.Model):
    """"May own projects", granted by an administrator. At most one per person; revoking
    deletes it (both are in the audit log)."""

    __tablename__ = "owner_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    #: why, in the administrator's words (e.g. "Fungerende enhetsleder til 1. juni")
    note: Mapped[str] = mapped_column(String(300), default="")
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                      nullable=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], backref=backref(
        "owner_grant", uselist=False, cascade="all, delete-orphan", passive_deletes=True))
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    def __repr__(self) -> str:
        return f"<OwnerGrant {self.user_id}>"
