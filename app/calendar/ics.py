"""Write events as an RFC 5545 calendar with the icalendar library (never by hand)."""
from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event as VEvent, vRecur

from app.calendar.events import Event
from app.models.base import utcnow

#: how often a subscribing calendar should fetch the feed again
REFRESH = timedelta(hours=1)


def to_ics(name: str, events: list[Event]) -> bytes:
    """A VCALENDAR named `name` holding every event as an all-day VEVENT."""
    cal = Calendar()
    cal.add("prodid", "-//Faseport//Faseport kalender//NB")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", REFRESH)
    stamp = utcnow()
    for event in events:
        vevent = VEvent()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", event.day)
        vevent.add("dtend", event.day + timedelta(days=1))
        vevent.add("summary", event.summary)
        vevent.add("description", f"{event.description}\n\n{event.url}")
        vevent.add("url", event.url)
        vevent.add("sequence", event.sequence or 0)
        vevent.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
        if event.modified is not None:
            vevent.add("last-modified", event.modified)
        if event.categories:
            vevent.add("categories", event.categories)
        if event.every_months:
            rule = {"freq": "monthly", "interval": event.every_months}
            if event.until is not None:
                rule["until"] = event.until
            vevent.add("rrule", vRecur(rule))
        cal.add_component(vevent)
    return cal.to_ical()
