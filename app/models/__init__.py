"""All models, imported here so that Alembic sees every table."""
from app.models.audit import AuditEvent, LoginAttempt  # noqa: F401
from app.models.gate import OPEN_STATUSES, ChecklistAnswer, GateDecision, GateRequest  # noqa: F401
from app.models.notification import Notification, NotificationPreference, OutboxMail  # noqa: F401
from app.models.project import MEMBER_ROLES, YES_NO_UNKNOWN, Project, ProjectMember  # noqa: F401
from app.models.user import APP_ROLES, User, UserSession  # noqa: F401
from app.models.plan import GOAL_KINDS, Milestone, PlanGoal, PlanLink, ProjectPlan  # noqa: F401
from app.models import change_request, status_report, task  # noqa: F401,E402 - status, changes and tasks tabs
from app.models import benefit, risk, stakeholder  # noqa: F401,E402 - benefits, risks and stakeholders tabs
from app.models.api_token import ApiToken  # noqa: F401,E402 - personal API tokens (profile page)
from app.models import portfolio  # noqa: F401,E402 - programmes, priority scores and saved views (portfolio)
from app.models.reminder import SentReminder  # noqa: F401,E402 - what `flask reminders send` has sent
from app.models.calendar_feed import CalendarFeed  # noqa: F401,E402 - calendar feed addresses (profile page)
from app.models import economy  # noqa: F401,E402 - budget per year and financing (economy tab)
from app.models.decision_pdf import DecisionPdf  # noqa: F401,E402 - PDFs frozen at gate decisions
from app.models.owner_grant import OwnerGrant  # noqa: F401,E402 - owners granted by an administrator

from app.models.sort_keys import install as _install_sort_keys  # noqa: E402 - keys kept on every write

_install_sort_keys(Project, User)

from app.models.portfolio_tally import install as _install_tally  # noqa: E402 - the panels' counts, kept on every write

_install_tally()
