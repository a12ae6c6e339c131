"""What the changes and tasks tabs share: each record is a card (an htmx component whose
root owns its id and swaps itself) whose edit form opens inside it; a plain request is
sent back to the tab (303) with the news."""
from __future__ import annotations

from flask import request

from app.plan.common import StaleEdit, check_version
from app.plan.editing import answer, changed_fields


def edit_card(project, record, make_form, update, fields, card, *, tab: str, anchor: str, saved: str,
              still_open=None):
    """GET: the record's card with its edit form (`make_form(record, formdata=None,
    obj=record)`). POST: `update(record, form)` when the form is valid (422 with the errors
    otherwise) and was loaded at the record's version; else 409 with what is stored now
    in `fields` beside what was typed. `still_open(current)` refuses a record that was
    closed meanwhile (a decided change). `card(project, record, status, **state)` renders
the card; a plain request goes back to the tab at `anchor`."""
    if request.method == "GET":
        return card(project, record, edit_form=make_form(record, formdata=None, obj=record))
    form = make_form(record)
    if not form.validate_on_submit():
        return card(project, record, 422, edit_form=form)
    try:
        check_version(record, form.version.data)
        update(record, form)
    except StaleEdit as exc:
        current = exc.current or record
        if still_open is not None:
            still_open(current)
        conflict = changed_fields(form, current, list(fields))
        form.version.data = current.version
        return card(project, current, 409, edit_form=form, message=exc.message, conflict=conflict, tone="warning")
    return answer(tab, project, saved, anchor, lambda: card(project, record, message=saved))
