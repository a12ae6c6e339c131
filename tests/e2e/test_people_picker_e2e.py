"""The people picker (static/js/people-picker.js) and the Enter key: Enter on an open
list with a person highlighted chooses that person and sends nothing; with the list
closed (a person chosen, the list shut with Escape, or nothing found) Enter sends the
form, as in any text field. Both in a plain form (the administrator's «Kan være
prosjekteier» page) and in an htmx form (a risk on the risks tab)."""
from __future__ import annotations

import pytest

from tests.e2e.test_risks_e2e import _project
from tests.e2e.test_sign_in_e2e import sign_in


def _posts(page) -> list[str]:
    """The POSTs the page sends from now on (URLs)."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def _search(page, picker, text: str) -> None:
    picker.fill("")
    picker.press_sequentially(text)
    page.locator(f"#{picker.get_attribute('id')}-listbox .people-option").first.wait_for()
    assert picker.get_attribute("aria-expanded") == "true"


@pytest.mark.parametrize("form", ["plain", "htmx"])
@pytest.mark.parametrize("how", ["chosen", "escape", "nothing found"])
def test_enter_in_the_picker_sends_the_form_when_the_list_is_closed(app, page, live_server, how, form):
    project_id, _ = _project(app)  # kari and ola are known
    if form == "plain":
        username, path, picker_id, action = "admin", "/people/owners", "person", "/people/owners"
    else:
        username, path, picker_id = "kari", f"/projects/{project_id}/risks", "new_responsible_username"
        action = path
    sign_in(page, username)
    page.goto(path)
    picker = page.locator(f"#{picker_id}")
    picker.focus()
    if how == "nothing found":
        picker.fill("")
        picker.press_sequentially("zzqx")
        page.locator(f"#{picker_id}-popup [data-message]").wait_for(state="attached")
    else:
        _search(page, picker, "ola")
        if how == "chosen":
            sent = _posts(page)
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")  # chooses Ola, sends nothing
            assert picker.input_value() == "Ola Nordmann"
            page.wait_for_timeout(300)
            assert sent == [], path
        else:
            page.keyboard.press("Escape")
    assert picker.get_attribute("aria-expanded") == "false", path
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(action)):
        page.keyboard.press("Enter")
    # the server has answered; let the redirect or the swap finish before the database is
    # emptied for the next test (a write still running then breaks the teardown)
    page.wait_for_load_state("networkidle")
