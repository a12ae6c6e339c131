"""The notification list, the bell component, and the developer outbox."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from app import is_htmx
from app.forms import EmptyForm
from app.extensions import db, login_manager
from app.models import OutboxMail
from app.notifications import bp, outbox_bp
from app.notifications.forms import chosen, preferences_form
from app.notifications.preferences import preferences_of, save_preferences
from app.notifications.services import (
    get_notification_or_404, is_local_path, mark_read, recent, unread_count,
)

#: how many notifications the list shows
PAGE_SIZE = 50
#: how many mails the developer outbox shows
OUTBOX_SIZE = 200
#: event sent with HX-Trigger when notifications were read, so the bell refreshes
CHANGED_EVENT = "notifications-changed"

#: OutboxMail.status in Norwegian
MAIL_STATUS = {
    "queued": _l("I kø"),
    "sent": _l("Sendt"),
    "logged": _l("Skrevet til logg"),
    "failed": _l("Feilet"),
}


@bp.route("/")
@login_required
def list_notifications():
    """My notifications, newest first; unread ones marked."""
    return render_template("notifications/list.html", **_list_context())


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    """Mark all my notifications read."""
    EmptyForm.valid_or_400()
    changed = mark_read(current_user, "all")
    message = _("Alle varsler er merket som lest.") if changed else _("Du hadde ingen uleste varsler.")
    if is_htmx():
        html = render_block("notifications/list.html", "notification_list",
                            status_message=message, **_list_context())
        return html, 200, {"HX-Trigger": CHANGED_EVENT}
    flash(message, "success")
    return redirect(url_for("notifications.list_notifications"), 303)


@bp.route("/<int:notification_id>/open", methods=["POST"])
@login_required
def open_notification(notification_id: int):
    """Mark one of my notifications read and go to where I act on it."""
    EmptyForm.valid_or_400()
    notification = get_notification_or_404(notification_id, current_user)
    mark_read(current_user, [notification.id])
    # notify() only stores local paths; checked again so this can never redirect off-site.
    target = notification.url if is_local_path(notification.url) else url_for("main.index")
    if is_htmx():
        return "", 200, {"HX-Redirect": target}
    return redirect(target, 303)


@bp.route("/preferences", methods=["POST"])
@login_required
def save_notification_preferences():
    """Per topic: e-mail at once, the daily digest, or only the bell (the profile page)."""
    from app.profile.routes import render_profile  # the profile page shows the form

    form = preferences_form(preferences_of(current_user), formdata=request.form)
    if not form.validate_on_submit():
        return render_profile(422, preferences=form)
    changed = save_preferences(current_user, chosen(form))
    message = _("Valgene dine er lagret.") if changed else _("Ingen endringer å lagre.")
    if is_htmx():
        return render_profile(message=message, block="notification_preferences")
    flash(message, "success")
    return redirect(url_for("profile.show_profile") + "#varsler", code=303)


@bp.route("/bell")
@login_required
def show_bell():
    """The bell alone, for its own polling (hx-get every 30 s)."""
    return render_template("notifications/_bell.html")


def _list_context() -> dict:
    return {
        "notifications": recent(current_user, PAGE_SIZE),
        "unread": unread_count(current_user),
        "page_size": PAGE_SIZE,
        "form": EmptyForm(),
    }


# --- developer pages ------------------------------------------------------------------
def can_see_dev_pages(user) -> bool:
    """Administrators only, in every mode: the outbox holds every e-mail, also those about
    restricted (Skjermet) projects."""
    return user.is_authenticated and user.is_admin


@outbox_bp.before_request
def _guard_dev_pages():
    # Sign-in first; then hidden (404), not forbidden, from everyone but administrators.
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_see_dev_pages(current_user):
        abort(404)
    return None


@outbox_bp.route("/outbox")
def list_outbox():
    """The mail outbox, newest first: what was sent, logged, is waiting or failed."""
    mails = db.session.execute(
        select(OutboxMail).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .limit(OUTBOX_SIZE)
    ).scalars().all()
    return render_template(
        "notifications/outbox.html", mails=mails, statuses=MAIL_STATUS, limit=OUTBOX_SIZE,
        mail_server=current_app.config["MAIL_SERVER"], mail_port=current_app.config["MAIL_PORT"],
    )
