"""Thin views: the feed itself (no session: the secret in the address is the key), and
making and revoking addresses from the profile page and a project's milestones tab."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import force_locale
from flask_login import current_user, login_required

from app.forms import EmptyForm
from app.calendar import bp
from app.calendar.events import person_events, project_events
from app.calendar.feeds import create_feed, find_active_feed, revoke_feed, touch
from app.calendar.ics import to_ics
from app.i18n import locale_for
from app.extensions import db
from app.models import CalendarFeed
from app.notifications.services import is_reachable
from app.projects.access import get_submitted_project_or_404


@bp.route("/feeds/<token>.ics")
def show_feed(token: str):
    """The calendar, as its person may see it. Unknown or revoked addresses: 404."""
    feed = find_active_feed(token)
    if feed is None or not is_reachable(feed.user):
        abort(404)
    user = feed.user
    if feed.project_id is not None and (not feed.project.can_view(user) or feed.project.is_draft):
        abort(404)
    # In the language of the person whose calendar it is: the calendar program that
    # fetches it sends no choice of its own worth following.
    with force_locale(locale_for(user)):
        if feed.project_id is not None:
            events = project_events(feed.project, user)
            name = _("Faseport – %(p)s", p=feed.project.title)
        else:
            events = person_events(user)
            name = _("Faseport – %(n)s", n=user.display_name)
        body = to_ics(name, events)
    touch(feed)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="faseport.ics"',
        "Cache-Control": "private, max-age=300"})


def feed_url(token: str) -> str:
    return url_for("calendar.show_feed", token=token, _external=True)


def _created(feed: CalendarFeed, token: str):
    """The new address, shown this once, with how to subscribe."""
    url = feed_url(token)
    return render_template("calendar/created.html", feed=feed, url=url,
                           webcal="webcal://" + url.split("://", 1)[-1]), 201


@bp.route("/feed", methods=["POST"])
@login_required
def create_personal_feed():
    """Make (or replace) my personal calendar address."""
    EmptyForm.valid_or_400()
    feed, token = create_feed(current_user)
    return _created(feed, token)


@bp.route("/projects/<int:project_id>/feed", methods=["POST"])
@login_required
def create_project_feed(project_id: int):
    """Make (or replace) my address for one project's calendar."""
    project = get_submitted_project_or_404(project_id)
    EmptyForm.valid_or_400()
    feed, token = create_feed(current_user, project)
    return _created(feed, token)


@bp.route("/feeds/<int:feed_id>/revoke", methods=["POST"])
@login_required
def revoke_calendar_feed(feed_id: int):
    """Revoke one of my addresses: calendars using it get nothing from now on."""
    feed = db.get_or_404(CalendarFeed, feed_id)
    if not feed.can_revoke(current_user):
        abort(404)
    EmptyForm.valid_or_400()
    changed = revoke_feed(feed, current_user)
    flash(_("Kalenderadressen er trukket tilbake. Kalendere som bruker den, får ikke flere oppdateringer.")
          if changed else _("Kalenderadressen var allerede trukket tilbake."), "success")
    return redirect(url_for("profile.show_profile") + "#kalender", code=303)
