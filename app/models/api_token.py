"""Personal API tokens: how a Power BI report or a script reads /api/v1 as a person."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.secret import PersonalSecret


class ApiToken(PersonalSecret, db.Model):
    """A token a person created on their profile page. Only a hash of the secret is kept:
    the full token is shown once, right after it is created, and never again."""

    __tablename__ = "api_token"

    #: what the person called it, e.g. "Power BI – porteføljerapport"
    name: Mapped[str] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} user={self.user_id}>"
