"""axe-core in the page, and small probes of what a keyboard user meets: where focus is,
and how wide the page is."""
from __future__ import annotations

from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
#: the WCAG levels the municipality must meet (2.1 AA), and nothing else (no best practices);
#: details for violations only, which keeps a run fast
AXE_RUN = """async () => await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
})"""
#: (axe rule id, CSS selector of the elements it is not checked on, why), on every page.
#: Only for what cannot be fixed (or is a false positive); everything else is fixed.
EXCLUSIONS: list[tuple[str, str, str]] = []
#: the narrowest window WCAG 1.4.10 (reflow) asks for, in CSS px
REFLOW_WIDTH = 320


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    {' > '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def run_axe(page, axe_source: str) -> list[dict]:
    """axe's WCAG 2.1 A/AA violations on the page, minus the listed exclusions."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate(AXE_RUN)
    violations = []
    for v in result["violations"]:
        skip = [sel for rule, sel, _why in EXCLUSIONS if rule == v["id"]]
        nodes = [n for n in v["nodes"] if not (skip and page.evaluate(
            "([target, sels]) => { const el = document.querySelector(target);"
            " return !!el && sels.some(s => el.matches(s)); }",
            [n["target"][-1], skip]))]
        if nodes:
            violations.append({**v, "nodes": nodes})
    return violations


def focused(page) -> str:
    """A short description of the focused element: tag#id[name]:text."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el) return '';
        return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.name ? '[' + el.name + ']' : '') + ':' + (el.textContent || '').trim().slice(0, 40);
    }""")


def overflow_at_reflow_width(page) -> tuple[int, list[str]]:
    """At 320 CSS px: the page's scroll width beyond the window (0 when it reflows), and
    the outermost elements that stick out, for the failure message."""
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    try:
        return page.evaluate("""() => {
            const extra = document.documentElement.scrollWidth - window.innerWidth;
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > window.innerWidth + 1 && r.width > 0 && !el.closest('.table-scroll')
                    && ![...el.children].some(k => k.getBoundingClientRect().right > window.innerWidth + 1)) {
                    out.push(el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(r.right) + ' px');
                }
                if (out.length >= 5) break;
            }
            return [extra, out];
        }""")
    finally:
        page.set_viewport_size(size)
