"""The roles tab, /projects/<id>/roles: who holds which role in the project.

Prosjekteier and prosjektleder are columns on Project; the other roles are ProjectMember
rows. Importing the package registers the routes; `app.plan.register` (called by
create_app) registers the tab's history sentences.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.plan.roles import routes  # noqa: F401  (registers the routes)
from app.plan.roles.catalogue import ROLE_BY_CODE, ROLES  # noqa: F401 - other areas read them here


def describe_roles_event(event) -> str | None:
    """Norwegian sentences for the roles tab's audit events."""
    who = event.actor_name or _("Systemet")
    d = event.data or {}
    info = ROLE_BY_CODE.get(d.get("role", ""))
    noun = str(info.noun) if info else d.get("role", "")
    if event.action == "roles.member_added":
        return _("%(who)s la til %(n)s som %(r)s.", who=who, n=d.get("name", ""), r=noun)
    if event.action == "roles.member_removed":
        return _("%(who)s fjernet %(n)s som %(r)s.", who=who, n=d.get("name", ""), r=noun)
    if event.action == "roles.manager_set":
        if d.get("from_name"):
            return _("%(who)s byttet prosjektleder fra %(a)s til %(b)s.", who=who,
                     a=d["from_name"], b=d.get("to_name", ""))
        return _("%(who)s utnevnte %(b)s til prosjektleder.", who=who, b=d.get("to_name", ""))
    if event.action == "roles.manager_removed":
        return _("%(who)s fjernet %(n)s som prosjektleder.", who=who, n=d.get("name", ""))
    return None
