"""The roles a person can hold on one project, as far as the gate rules care."""
from __future__ import annotations

from app.workflow.i18n import N_, Labelled, name_members


class Role(Labelled):
    """A role of the acting person on *this* project, worked out by the caller.

    Only these roles grant anything in the workflow; the other project roles (gevinst-
    ansvarlig, teknisk ansvarlig …) do not take part in gate decisions.
    """

    #: the employee who wrote the idea
    SUBMITTER = "submitter"
    #: prosjekteier; while an idea, the proposed owner (usually the submitter's leader)
    OWNER = "owner"
    #: prosjektleder; never the same person as the owner
    MANAGER = "manager"
    #: application administrator; may hand the owner role on, never decides in its place
    ADMIN = "admin"
    #: any signed-in member of staff; grants nothing on its own
    EMPLOYEE = "employee"


#: Norwegian names of the roles
_LABELS: dict[Role, str] = {
    Role.SUBMITTER: N_("Innsender"),
    Role.OWNER: N_("Prosjekteier"),
    Role.MANAGER: N_("Prosjektleder"),
    Role.ADMIN: N_("Administrator"),
    Role.EMPLOYEE: N_("Ansatt"),
}
name_members(Role, _LABELS)
