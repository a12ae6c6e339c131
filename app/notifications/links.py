"""Site-local paths for notifications, built in a request or from the command line
(`flask reminders send`, `flask directory sync`), where Flask's url_for has no request
to build from."""
from __future__ import annotations

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, *, anchor: str = "", **values) -> str:
    """The path of `endpoint` ("/projects/7/milestones"), plus "#anchor" when given."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        adapter = current_app.url_map.bind("faseport.invalid", script_name="/")
        path = adapter.build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path
