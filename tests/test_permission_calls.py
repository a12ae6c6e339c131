"""House rule (issue 11): a permission is a model method, `can_<verb>(user)`; the same method
guards the route and is called by the template. Routes and their context builders never pass
its answer on as a flag (`can_edit=…`), and a template never reads a `can_…` variable that it
(or, for a piece only ever included, every page that includes it) did not set from a model
call."""
from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app"
TEMPLATES = REPO / "templates"

#: `{% set can_x = … %}` whose value asks a model: `project.can_edit_risks(`, `project.can(`
SET_FROM_MODEL = re.compile(r"\{%-?\s*set\s+(can_\w+)\s*=([^%]*?\b\w+(?:\.\w+)*\.can(?:_\w+)?\()")
#: a bare `can_…` name (not an attribute or a method: `x.can_edit`, `can_edit(` are not bare)
BARE = re.compile(r"(?<![\w.'\"])(can_\w+)\b(?!\s*\()")
INCLUDE = re.compile(r"\{%-?\s*include\s+[\"']([^\"']+)[\"']")
COMMENT = re.compile(r"\{#.*?#\}", re.S)


def _permission_flags_in(source: str, where: str) -> list[str]:
    """`can_…=` keywords, `{"can_…": …}` keys and `ctx["can_…"] = …` in one module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Call):
            names = [k.arg for k in node.keywords if k.arg]
        elif isinstance(node, ast.Dict):
            names = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            names = [node.slice.value]
        found += [f"{where}:{node.lineno} {n}" for n in names if n.startswith("can_")]
    return found


def test_no_route_or_context_builder_passes_a_permission_flag():
    """Outside the models (where the permissions live), nothing hands a template `can_…=`."""
    flags = [f for path in sorted(APP.rglob("*.py")) if "models" not in path.relative_to(APP).parts
             for f in _permission_flags_in(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)))]
    assert flags == [], "ask the model in the template instead:\n" + "\n".join(flags)


def _templates() -> dict[str, str]:
    return {p.relative_to(TEMPLATES).as_posix(): COMMENT.sub("", p.read_text(encoding="utf-8"))
            for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".html", ".txt"}}


def _rendered_from_python() -> set[str]:
    """Templates whose name appears in app/ (render_template, a component constant): those
    can be rendered on their own, without a page around them that asked already."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in APP.rglob("*.py"))
    return {name for name in _templates() if f'"{name}"' in code or f"'{name}'" in code}


def _unasked(templates: dict[str, str]) -> list[str]:
    """`template: name` for each bare `can_…` a template reads without having it asked."""
    sets = {name: {m.group(1) for m in SET_FROM_MODEL.finditer(text)} for name, text in templates.items()}
    includers: dict[str, list[str]] = {}
    for name, text in templates.items():
        for included in INCLUDE.findall(text):
            includers.setdefault(included, []).append(name)
    alone = _rendered_from_python()

    def asked(name: str, flag: str, seen: frozenset = frozenset()) -> bool:
        if flag in sets.get(name, ()):
            return True
        parents = includers.get(name, [])
        if name in alone or not parents or name in seen:
            return False
        return all(asked(parent, flag, seen | {name}) for parent in parents)

    return sorted(f"{name}: {flag}" for name, text in templates.items()
                  for flag in {m.group(1) for m in BARE.finditer(text)} if not asked(name, flag))


def test_templates_ask_the_model_for_every_permission_they_read():
    templates = _templates()
    assert _unasked(templates) == [], "set it from the model's can_<verb>(current_user) in the template"
    # The rule is in use: the plan tabs, the gate page and the portfolio ask their models.
    asking = {name for name, text in templates.items() if SET_FROM_MODEL.search(text)}
    assert {"plan/risks/tab.html", "plan/risks/_row.html", "gates/show.html",
            "portfolio/programme.html"} <= asking


def test_the_template_rule_catches_a_flag_and_a_flag_passed_on():
    """The check itself: a template reading a flag nobody asked the model for fails, also
    when it only copies a flag (`set can_edit = editable`); asking in the template passes."""
    assert _unasked({"x/page.html": "{% if can_edit %}x{% endif %}"}) == ["x/page.html: can_edit"]
    assert _unasked({"x/page.html": "{% set can_edit = editable %}{{ can_edit }}"}) == ["x/page.html: can_edit"]
    assert _unasked({"x/page.html": "{%- set can_edit = project.can_edit_risks(current_user) %}"
                                    "{% if can_edit %}x{% endif %}"}) == []


def test_the_route_rule_catches_a_flag():
    """The check itself: a keyword, a dict key and a stored key are all found."""
    source = ("render_template('x.html', can_edit=True)\nctx = {'can_work': False}\n"
              "ctx['can_decide'] = True\nrender_template('x.html', project=project)\n")
    assert sorted(f.split(" ")[-1] for f in _permission_flags_in(source, "routes.py")) == \
        ["can_decide", "can_edit", "can_work"]
