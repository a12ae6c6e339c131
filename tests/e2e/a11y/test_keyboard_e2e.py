"""Keyboard only: adding a risk and moving it in the matrix takes at most 40 key presses,
and the owner approves BP1 with a comment without the mouse.

Every key is pressed with page.keyboard and counted (text is typed with keyboard.type and
is not counted as presses: it is the same whatever the page does). These tests change the
demo data, so they run after the page and focus tests (tests/e2e/a11y/conftest.py).
"""
from __future__ import annotations

from tests.e2e.a11y.axe import focused

#: the issue's limit for adding a risk and moving it in the matrix
MAX_PRESSES = 40


class Keys:
    """page.keyboard.press that counts."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def _active(page) -> tuple[str, str, str]:
    return tuple(page.evaluate("""() => { const el = document.activeElement;
        return [el.tagName.toLowerCase(), el.name || el.id || '', (el.textContent || '').trim()]; }"""))


def _cell_count(page, p: int, c: int) -> int:
    """The number shown in the matrix cell (probability p, consequence c)."""
    row = 6 - p  # the body lists probability 5 first
    text = page.locator(f"#risk-matrix tbody tr:nth-child({row}) td:nth-of-type({c}) .risk-cell__count").inner_text()
    return int(text.split()[0])


def test_adding_a_risk_and_moving_it_in_the_matrix_takes_at_most_40_keys(demo, contexts):
    page = contexts("kari").new_page()
    keys = Keys(page)
    try:
        page.goto(f"/projects/{demo['plan']}/risks")
        before_low, before_high = _cell_count(page, 2, 2), _cell_count(page, 4, 4)
        page.locator("body").focus()

        keys.press("Tab")  # the skip link …
        assert _active(page)[2] == "Hopp til hovedinnhold"
        keys.press("Enter")  # … past the project head and its tabs
        keys.press("Tab")
        assert _active(page)[2] == "Legg til risiko eller mulighet", focused(page)
        keys.press("Enter", "Tab")  # to the form; its first field is the kind (Risiko)
        tag, name, _text = _active(page)
        assert tag == "input" and name.endswith("kind"), focused(page)
        keys.press("Tab")
        keys.type("Nøkkelpersoner slutter før innføringen")
        keys.press("Tab", "ArrowDown", "ArrowDown")  # sannsynlighet 2
        assert _active(page)[1].endswith("probability")
        assert page.evaluate("document.activeElement.value") == "2"
        keys.press("Tab", "ArrowDown", "ArrowDown")  # konsekvens 2
        keys.press("Tab", "Tab", "Tab")  # strategy, action, responsible
        assert _active(page)[1].endswith("responsible_username"), focused(page)
        keys.press("Tab", "Tab", "Tab", "Tab", "Tab")  # after action (2 and a comment), status, the button
        assert _active(page)[2] == "Legg til", focused(page)
        keys.press("Enter")
        page.wait_for_function("(document.activeElement.textContent || '').trim()"
                               ".indexOf('Endre «Nøkkelpersoner') === 0")
        assert _cell_count(page, 2, 2) == before_low + 1

        keys.press("Enter")  # "Endre" on the new row: focus in its form
        page.wait_for_function("document.activeElement.name && document.activeElement.closest('tr.risk-row--editing')")
        keys.press("Tab", "Tab", "ArrowDown", "ArrowDown")  # sannsynlighet 4
        keys.press("Tab", "ArrowDown", "ArrowDown")  # konsekvens 4: skår 16
        keys.press("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")
        assert _active(page)[2] == "Lagre endringene", focused(page)
        keys.press("Enter")
        page.wait_for_function("(document.activeElement.textContent || '').trim()"
                               ".indexOf('Endre «Nøkkelpersoner') === 0")
        assert _cell_count(page, 2, 2) == before_low
        assert _cell_count(page, 4, 4) == before_high + 1
        row = page.locator("tr.risk-row", has_text="Nøkkelpersoner slutter")
        assert row.locator(".risk-score").inner_text() == "16"
        assert keys.count <= MAX_PRESSES, f"{keys.count} key presses"
        print(f"\nadding and moving a risk: {keys.count} key presses")
    finally:
        page.close()


def test_the_owner_approves_bp1_with_a_comment_using_only_the_keyboard(demo, contexts):
    page = contexts("ola").new_page()
    keys = Keys(page)
    try:
        page.goto(f"/projects/{demo['gate']}/gates/BP1")
        page.locator("body").focus()
        keys.press("Tab", "Enter")  # skip link
        assert page.evaluate("document.activeElement.id") == "project-content"
        reached: list[str] = []
        for _ in range(150):
            keys.press("Tab")
            tag, name, text = _active(page)
            kind = page.evaluate("document.activeElement.type || ''")
            inside = page.evaluate("!!document.activeElement.closest(\"form[action$='/decide']\")")
            if not inside:
                continue
            if kind == "radio" and name.startswith("answer-") and name not in reached:
                keys.press("Space")  # the first choice of each of the owner's questions: Ja
                reached.append(name)
            elif kind == "radio" and name == "decision" and name not in reached:
                assert page.evaluate("document.activeElement.value") == "approve", focused(page)
                keys.press("Space")  # Godkjenn
                reached.append(name)
            elif name == "comment" and name not in reached:
                keys.type("Godkjent: dette er et tydelig behov i hjemmetjenesten.")
                reached.append(name)
            elif name == "confirm_owner" and name not in reached:
                keys.press("Space")
                reached.append(name)
            elif name == "manager_username" and name not in reached:
                keys.type("kari")
                page.get_by_role("option").first.wait_for()
                keys.press("ArrowDown", "Enter")  # chooses, does not send
                reached.append(name)
            elif kind == "submit":
                with page.expect_navigation():
                    keys.press("Enter")
                break
        assert {"decision", "comment", "confirm_owner", "manager_username"} <= set(reached), reached
        assert "Beslutningen er registrert." in page.locator(".flash-messages").inner_text()
        assert page.locator(".phase-steps__item--current .phase-steps__label").inner_text() == "Konsept"
        print(f"\napproving BP1 with the keyboard: {keys.count} key presses")
    finally:
        page.close()


def test_the_manager_answers_the_checklist_and_saves_it_once_using_only_the_keyboard(demo, contexts):
    """BP4's hand-answered items: Tab through the rows, Space on «Ja» where nothing is
    answered yet, one Enter on «Lagre svarene»; focus stays on the button, which says
    how many answers were saved."""
    page = contexts("kari").new_page()
    keys = Keys(page)
    try:
        page.goto(f"/projects/{demo['plan']}/gates/BP4")
        unanswered = page.locator("form.checklist-form li.checklist__item--unanswered").count()
        assert unanswered, "BP4 has hand-answered items left to answer"
        page.locator("body").focus()
        keys.press("Tab", "Enter")  # skip link
        reached: list[str] = []
        for _ in range(120):
            keys.press("Tab")
            tag, name, text = _active(page)
            if not page.evaluate("!!document.activeElement.closest('form.checklist-form')"):
                continue
            kind = page.evaluate("document.activeElement.type || ''")
            if kind == "radio" and name not in reached:
                reached.append(name)
                if not page.evaluate(f"!!document.querySelector('input[name=\"{name}\"]:checked')"):
                    assert page.evaluate("document.activeElement.value") == "ja", focused(page)
                    keys.press("Space")
            elif tag == "button" and text == "Lagre svarene":
                keys.press("Enter")
                break
        page.locator(".checklist__saved", has_text=f"{unanswered} svar er lagret.").wait_for()
        # The text is swapped in before htmx settles, and focus is placed when it settles.
        page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
        assert _active(page)[2] == "Lagre svarene", focused(page)
        assert page.locator("form.checklist-form li.checklist__item--unanswered").count() == 0
        print(f"\nanswering BP4's checklist with the keyboard: {keys.count} key presses")
    finally:
        page.close()
