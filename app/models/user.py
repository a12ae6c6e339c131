"""Staff members as known from the directory, and their server-side sessions."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, ForeignKey, String, and_, exists, or_, select
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from app.extensions import db
from app.models.base import FreeText, UTCDateTime, utcnow
from app.models.sort_keys import key_type as name_key_type

#: application roles that directory groups can grant (LDAP_ROLE_GROUPS)
APP_ROLES = ("admin", "ikt", "personvern", "portefolje", "prosjekteier")

#: the role a directory group can give to people who may own projects without being
#: anyone's leader in the directory
OWNER_ROLE = "prosjekteier"


class User(UserMixin, db.Model):
    """A member of staff. Keyed on the directory's unique id, refreshed at every sign-in."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: objectGUID (AD) or entryUUID (OpenLDAP): survives renames of the account
    directory_id: Mapped[str] = mapped_column(String(64), unique=True)
    #: the name typed at sign-in (sAMAccountName / uid)
    username: Mapped[str] = mapped_column(String(128), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    #: display_name in Norwegian alphabetical order (app.models.sort_keys; kept on every write)
    name_key: Mapped[str] = mapped_column(name_key_type(), default="", server_default="", index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    #: department from the directory (enhet)
    unit: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    #: the username of the person's leader (directory attribute `manager`)
    leader_username: Mapped[str | None] = mapped_column(String(128), nullable=True)
    #: space-separated application roles from directory groups
    roles_text: Mapped[FreeText]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: false once `flask directory sync` found the person gone from the directory or
    #: disabled: no sign-in, no session, no API token, not chosen for a role; "(sluttet)"
    active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    #: when the sync noticed that the person left
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the last refresh from the directory (sign-in or sync)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the language the person chose (nb, nn or en; app/i18n.py); None: not chosen, so the
    #: browser's Accept-Language and the kommune's DEFAULT_LOCALE decide
    locale: Mapped[str | None] = mapped_column(String(5), nullable=True)

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def roles(self) -> set[str]:
        return set(self.roles_text.split())

    @roles.setter
    def roles(self, value) -> None:
        self.roles_text = " ".join(sorted(set(value)))

    def has_role(self, role: str) -> bool:
        return self.active and role in self.roles

    @property
    def shown_name(self) -> str:
        """The name as pages show it: "Ola Nordmann (sluttet)" for someone who left."""
        if self.active:
            return self.display_name
        return _("%(name)s (sluttet)", name=self.display_name)

    @property
    def is_active(self) -> bool:  # Flask-Login: an inactive person is never signed in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")

    # --- who may own a project -------------------------------------------------------
    @classmethod
    def may_own_projects(cls) -> ColumnElement[bool]:
        """The SQL form of ``can_own_projects``: a WHERE condition on User.

        A prosjekteier is a leader with authority over the resources: someone another
        person's directory entry names as their `manager` (some local user's
        `leader_username` is theirs), a member of a group mapped to the `prosjekteier`
        role in LDAP_ROLE_GROUPS, or someone an administrator has granted it. People who
        have left (`active` false after `flask directory sync`) neither own projects nor
        make their leader one.
        """
        from app.models.owner_grant import OwnerGrant

        report = aliased(cls)
        return and_(cls.active.is_(True), or_(
            exists().where(report.leader_username == cls.username, report.active.is_(True)),
            # roles_text is space-separated roles; no other role contains this word
            cls.roles_text.contains(OWNER_ROLE),
            exists().where(OwnerGrant.user_id == cls.id),
        ))

    def can_own_projects(self) -> bool:
        """May this person be a project's prosjekteier (see ``may_own_projects``)?"""
        if not self.active:
            return False
        if self.has_role(OWNER_ROLE):
            return True
        if self.id is None:
            return False
        return bool(db.session.execute(
            select(exists().where(User.id == self.id, User.may_own_projects()))).scalar())

    def get_id(self) -> str:  # Flask-Login keeps the session token, not the user id
        raise NotImplementedError("sessions are loaded by token, see app.auth.sessions")

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserSession(db.Model):
    """A signed-in session, held on the server so that signing out really ends it."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the random token kept in the signed cookie
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship(back_populates="sessions")
