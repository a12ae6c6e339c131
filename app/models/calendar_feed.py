"""Calendar feed addresses: how Outlook, Google Calendar or Apple Calendar read a
person's Faseport dates. Like the API tokens, only a hash of the secret is kept."""
from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.secret import PersonalSecret


class CalendarFeed(PersonalSecret, db.Model):
    """One subscribable address: the person's own calendar (project_id None) or one
    project's calendar as that person may see it. Revoked addresses never work again."""

    __tablename__ = "calendar_feed"

    #: None: the person's own dates across projects; else this project's dates
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), nullable=True, index=True)

    project = relationship("Project")

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.prefix} user={self.user_id} project={self.project_id}>"
