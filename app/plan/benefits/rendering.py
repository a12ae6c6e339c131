"""What the benefits tab shows: each benefit's card (or its form), the plan's status card
(version, review, agreement), and the whole page (templates/plan/benefits/)."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.extensions import db
from app.models.benefit import Benefit
from app.models.plan_permissions import BENEFITS_EDITOR_ROLE
from app.plan.benefits import display, queries
from app.plan.benefits.chart import build_chart, missing_for_chart
from app.plan.benefits.forms import measurement_form, new_benefit_form
from app.plan.child_views import Components
from app.plan.common import render_swap, render_tab

PAGE = "plan/benefits/tab.html"
CARD = "plan/benefits/_card.html"
FORM = "plan/benefits/_form.html"
STATUS = "plan/benefits/_status.html"


def _helpers() -> dict:
    """Formatting functions the templates use (Norwegian numbers and months)."""
    return dict(num=display.number, amount=display.amount, approx=display.approx, month=display.month,
                build_chart=build_chart, missing_for_chart=missing_for_chart,
                schedule_label=display.schedule_label)


def _status_context(project, *, notice: str = "", error: str | None = None) -> dict:
    """The plan's version, its review (BP4) and the benefits agreement (BP5)."""
    version = queries.plan_version(project)
    review = queries.latest_review(project)
    parties = queries.agreement_status(project, version)
    benefits_owner_ids = {u.id for u in project.members_with(BENEFITS_EDITOR_ROLE)}
    has_benefits = version > 0 or db.session.execute(
        db.select(Benefit.id).where(Benefit.project_id == project.id).limit(1)).first() is not None
    return dict(
        plan_version=version, review=review, has_benefits=has_benefits,
        reviewed=review is not None and version > 0 and review.plan_version == version,
        parties=parties, benefits_owner_ids=benefits_owner_ids,
        acknowledged=version > 0 and bool(parties) and all(p["current"] for p in parties),
        my_ack_current=any(p["person"].id == current_user.id and p["current"] for p in parties),
        notice=notice, error=error,
    )


def _card_context(benefit, *, mform=None, notice: str = "") -> dict:
    """What one benefit's card needs."""
    return dict(b=benefit, notice=notice,
                mform=mform or measurement_form(benefit.id),
                mform_open=mform is not None)


def _form_context(form, benefit=None, *, conflict=None) -> dict:
    """What the benefit form needs: the form, the benefit (None: a new one), a conflict."""
    return dict(form=form, b=benefit, conflict=conflict)


def _new_form(project):
    return new_benefit_form(queries.default_benefit_owner(project))


def page(project, status: int = 200, *, new_form=None, edit: tuple | None = None,
         mforms: dict | None = None, status_error: str | None = None):
    """The whole tab (a plain request, or a refused form without JavaScript); `edit` =
    (benefit, form, conflict) shows that benefit's form in place of its card."""
    benefits = queries.benefits_of(project)
    by_id = {b.id: b for b in benefits}
    ctx = dict(
        project=project, active_tab="benefits", benefits=benefits,
        new_ef=_form_context(new_form or _new_form(project)),
        edits={edit[0].id: _form_context(edit[1], by_id.get(edit[0].id), conflict=edit[2])} if edit else {},
        cards={b.id: _card_context(b, mform=(mforms or {}).get(b.id)) for b in benefits},
        st=_status_context(project, error=status_error), oob=False, **_helpers(),
    )
    return render_tab(PAGE, None, status, **ctx)


def _swap(main, project, *, with_status: bool = False, **ctx) -> str:
    if with_status:
        ctx.update(also=STATUS, st=_status_context(project))
    return render_swap(main, project=project, **_helpers(), **ctx)


def status_html(project, **kwargs) -> str:
    """The plan's status card alone (after a review or an acknowledgement)."""
    return render_template(STATUS, project=project, st=_status_context(project, **kwargs), oob=False)


def card_html(project, benefit, *, changed: bool = False, **kwargs) -> str:
    """A benefit's card; `changed` (a new version of the plan) adds the status card out of
    band."""
    return _swap(CARD, project, card=_card_context(benefit, **kwargs), with_status=changed)


def form_html(project, form, benefit=None, **kwargs) -> str:
    """The benefit form alone: the new-benefit form, or an edit in place of the card."""
    return _swap(FORM, project, ef=_form_context(form, benefit, **kwargs))


def added_html(project, benefit, notice: str) -> str:
    """After adding: an empty form, the new card at the end of the list and the status
    card, both out of band."""
    return _swap(FORM, project, ef=_form_context(_new_form(project)), added=CARD, into="#benefit-list",
                 tag="div", card=_card_context(benefit, notice=notice), with_status=True)


def status_oob_html(project) -> str:
    """The status card alone, out of band (after a deleted benefit)."""
    return _swap(None, project, with_status=True)


#: the benefits' cards as app.plan.child_views adds, edits and deletes them
COMPONENTS = Components(card_html, form_html, added_html, page, deleted=status_oob_html)
