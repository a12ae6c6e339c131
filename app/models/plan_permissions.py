"""Who may change which part of a project's plan: methods on Project (a mixin, so that
project.py stays small). The same method guards the plan tab's route and decides in the
template whether the button shows."""
from __future__ import annotations

#: stages in which the plan can no longer be changed
CLOSED_STAGES = ("completed", "rejected", "withdrawn")
#: the ProjectMember role that edits a tab besides the owner and the manager
BENEFITS_EDITOR_ROLE = "benefits_owner"
STAKEHOLDERS_EDITOR_ROLE = "communications"
TASKS_EDITOR_ROLE = "technical_lead"


class PlanPermissions:
    """`can_<verb>(user)` for the plan tabs under /projects/<id>/…."""

    def plan_is_open(self) -> bool:
        """Submitted and not ended: the plan can be changed."""
        return self.stage not in CLOSED_STAGES and self.stage != "draft"

    def can_edit_plan(self, user, *extra_roles: str) -> bool:
        """The prosjektleder and prosjekteier (and admins) edit the plan while the project
        runs; `extra_roles` are ProjectMember roles that may edit that tab too."""
        if not self.plan_is_open():
            return False
        if user.is_admin or user.id in (self.owner_id, self.manager_id):
            return True
        return any(m.user_id == user.id and m.role in extra_roles for m in self.members)

    # --- roles -------------------------------------------------------------------------
    def can_edit_roles(self, user) -> bool:
        """Add and remove people in the roles other than owner and manager."""
        return self.can_edit_plan(user)

    def can_change_leadership(self, user) -> bool:
        """Change the prosjekteier or the prosjektleder: the owner and administrators only."""
        return self.can_edit_plan(user) and (user.is_admin or user.id == self.owner_id)

    # --- milestones, economy, risks -------------------------------------------------------
    def can_edit_milestones(self, user) -> bool:
        """The prosjektleder, the prosjekteier and admins keep the milestones."""
        return self.can_edit_plan(user)

    def can_edit_risks(self, user) -> bool:
        """The prosjektleder, the prosjekteier and admins keep the risk register and ITPOSMO."""
        return self.can_edit_plan(user)

    def can_edit_stakeholders(self, user) -> bool:
        """The stakeholder analysis: those who edit the plan, and the
        kommunikasjonsansvarlig (who owns the communication plan)."""
        return self.can_edit_plan(user, STAKEHOLDERS_EDITOR_ROLE)

    # --- benefits --------------------------------------------------------------------------
    def can_edit_benefits(self, user) -> bool:
        """Add, change and delete benefits: the prosjektleder, the prosjekteier, admins and
        the project's gevinstansvarlige (who own the benefits plan)."""
        return self.can_edit_plan(user, BENEFITS_EDITOR_ROLE)

    def can_record_measurement(self, user, benefit=None) -> bool:
        """Record (or delete) a measurement: those who edit the plan, and the benefit's own
        gevinstansvarlig, during the project and after handover until BP6 is passed."""
        if not self.plan_is_open():
            return False
        if self.can_edit_benefits(user):
            return True
        return benefit is not None and benefit.owner_id == user.id

    def can_review_benefits_plan(self, user) -> bool:
        """"Marker gevinstplanen som gjennomgått": the owner or the manager, in execution (BP4)."""
        return self.stage == "execution" and user.id in (self.owner_id, self.manager_id)

    def agreement_parties(self) -> list:
        """Who must acknowledge the benefits agreement: every gevinstansvarlig (the owner
        when none is named) and the owner, each once."""
        people = self.members_with(BENEFITS_EDITOR_ROLE)
        if self.owner is not None:
            people = [*people, self.owner]
        seen, out = set(), []
        for person in people:
            if person.id not in seen:
                seen.add(person.id)
                out.append(person)
        return out

    def can_acknowledge_agreement(self, user) -> bool:
        """"Kvitter ut gevinstavtalen": the parties to the agreement, in the handover stage."""
        return self.stage == "handover" and any(p.id == user.id for p in self.agreement_parties())

    # --- status reports and change requests ---------------------------------------------------
    def can_write_reports(self, user) -> bool:
        """Write and publish status reports: the prosjektleder, the owner and administrators,
        while the project runs."""
        return self.can_edit_plan(user)

    def can_propose_changes(self, user) -> bool:
        """Propose changes: the prosjektleder, the owner and administrators, while the project runs."""
        return self.can_edit_plan(user)

    def can_decide_changes(self, user) -> bool:
        """Approve or reject a change request: the prosjekteier alone, while the project runs."""
        return self.plan_is_open() and self.owner_id is not None and user.id == self.owner_id

    # --- technical tasks and the privacy assessment ---------------------------------------------
    def can_edit_tasks(self, user) -> bool:
        """Create tasks, edit their text and delete them: the owner, the prosjektleder, the
        project's technical leads (teknisk ansvarlig) and administrators."""
        return self.can_edit_plan(user, TASKS_EDITOR_ROLE)

    def can_work_tasks(self, user) -> bool:
        """Change a task's status and assignee: people in the IKT role (and administrators)."""
        return self.plan_is_open() and (user.has_role("ikt") or user.is_admin)

    def can_assess_privacy(self, user) -> bool:
        """Set the DPIA status and comment: the personvern role (and administrators) only."""
        return self.plan_is_open() and (user.has_role("personvern") or user.is_admin)
