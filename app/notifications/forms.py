"""The profile page's choice of how notifications arrive: one radio group per topic."""
from __future__ import annotations

from wtforms import RadioField

from app.forms import EmptyForm
from app.models.notification import NotificationPreference
from app.notifications.kinds import DELIVERIES, DELIVERY_LABELS, TOPICS


class PreferencesForm(EmptyForm):
    """Built with one field per topic (see `preferences_form`); each is one row's delivery."""

    fills_columns = {f"topic_{topic.code}": NotificationPreference.delivery for topic in TOPICS}


def preferences_form(current: dict[str, str], formdata=None) -> PreferencesForm:
    """A form with a RadioField per topic, preset to the person's current choices."""

    class Form(PreferencesForm):
        pass

    for topic in TOPICS:
        setattr(Form, f"topic_{topic.code}", RadioField(
            topic.label, description=topic.description, default=current.get(topic.code, topic.default),
            choices=[(d, DELIVERY_LABELS[d]) for d in DELIVERIES]))
    kwargs = {} if formdata is None else {"formdata": formdata}
    if formdata is None:
        kwargs["formdata"] = None
    return Form(**kwargs)


def chosen(form: PreferencesForm) -> dict[str, str]:
    """topic → delivery as posted."""
    return {t.code: getattr(form, f"topic_{t.code}").data for t in TOPICS}
