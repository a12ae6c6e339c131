"""People search for the picker (htmx), and the administrator's owner-role page."""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models import OwnerGrant
from app.people import bp
from app.people.fields import resolve_field
from app.people.forms import GrantOwnerForm, RevokeOwnerForm
from app.people.owners import (can_manage_owner_grants, grant_owner, grants, owned_project_counts,
                               revoke_owner)
from app.people.search import MAX_RESULTS, MIN_QUERY, find_people

#: what a field name or a list id may look like (they end up in ids and attributes)
_SAFE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,80}$")


def _safe(value: str | None, default: str) -> str:
    return value if value and _SAFE_ID.match(value) else default


@bp.route("/search")
@login_required
def search_people():
    """The picker's options for what is typed so far: up to 20 people by name, unit or
    title. `field` names the input (its value is the query; `q` works too), `list` the
    listbox id, `scope=owner` offers only people who may own projects."""
    field = _safe(request.args.get("field"), "person")
    list_id = _safe(request.args.get("list"), f"{field}-listbox")
    query = (request.args.get("q") or request.args.get(field) or "").strip()[:100]
    owners_only = request.args.get("scope") == "owner"
    found = find_people(query, owners_only=owners_only)
    return render_template("people/_options.html", found=found, query=query, list_id=list_id,
                           owners_only=owners_only, too_short=len(query) < MIN_QUERY,
                           max_results=MAX_RESULTS)


# --- the owner role, granted by an administrator ------------------------------------
def _require_admin() -> None:
    if not can_manage_owner_grants(current_user):
        abort(403)


def _page(form: GrantOwnerForm | None = None, status: int = 200):
    rows = grants()
    return render_template("people/owners.html", grants=rows, form=form or GrantOwnerForm(formdata=None),
                           revoke_form=RevokeOwnerForm(),
                           owned=owned_project_counts([g.user_id for g in rows])), status


@bp.route("/owners")
@login_required
def owner_grants():
    """Who may own projects, and the people an administrator has given the role."""
    _require_admin()
    return _page()


@bp.route("/owners", methods=["POST"])
@login_required
def add_owner_grant():
    """Give someone the owner role (audited)."""
    _require_admin()
    form = GrantOwnerForm()
    person = resolve_field(form.person, required_message=_("Velg personen som skal få rollen.")) \
        if form.validate_on_submit() else None
    if person is None:
        return _page(form, 422)
    if grant_owner(person, form.note.data or "", current_user) is None:
        form.person.errors = [*form.person.errors,
                              _("%(n)s har allerede fått rollen.", n=person.display_name)]
        return _page(form, 422)
    flash(_("%(n)s kan nå være prosjekteier.", n=person.display_name), "success")
    return redirect(url_for("people.owner_grants"), code=303)


@bp.route("/owners/<int:grant_id>/revoke", methods=["POST"])
@login_required
def revoke_owner_grant(grant_id: int):
    """Take the owner role back (audited)."""
    _require_admin()
    RevokeOwnerForm.valid_or_400()
    grant = db.session.get(OwnerGrant, grant_id)
    if grant is None:
        flash(_("Rollen var allerede tatt tilbake."), "info")
        return redirect(url_for("people.owner_grants"), code=303)
    name = grant.user.display_name
    if revoke_owner(grant):
        flash(_("%(n)s har ikke lenger rollen som mulig prosjekteier.", n=name), "success")
    else:
        flash(_("Rollen var allerede tatt tilbake."), "info")
    return redirect(url_for("people.owner_grants"), code=303)
