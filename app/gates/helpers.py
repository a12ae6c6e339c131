"""Template helpers for gate pages (registered by the gates blueprint)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from app.workflow import Gate, ItemState, RequestStatus, decision_verb
from app.workflow.i18n import N_

STATE_LABELS = {"ok": N_("OK"), "failed": N_("Mangler"), "warning": N_("Advarsel"), "unanswered": N_("Ikke besvart"),
                "invalid": N_("Mangler kommentar")}


def item_state_label(entry) -> str:
    state = entry["state"] if isinstance(entry, dict) else entry.state.value
    answer = entry.get("answer") if isinstance(entry, dict) else (entry.answer.value if entry.answer else None)
    if answer and state in (ItemState.OK, ItemState.FAILED, ItemState.WARNING):
        return {"ja": _("Ja"), "nei": _("Nei"), "ikke_relevant": _("Ikke relevant")}[answer]
    return _(STATE_LABELS.get(state, state))


def tab_url(project, tab) -> str:
    """Where the data behind a checklist item is fixed. Tabs not built yet → the overview."""
    endpoint = f"plan.{tab.value if hasattr(tab, 'value') else tab}"
    try:
        return url_for(endpoint, project_id=project.id)
    except Exception:
        return url_for("projects.show_project", project_id=project.id)


def helpers() -> dict:
    return dict(
        all_gates=lambda: list(Gate),
        item_state_label=item_state_label,
        tab_url=tab_url,
        request_status_label=lambda s: _(RequestStatus(s).label),
        decision_verb=lambda d: _(decision_verb(d)),
    )
