"""Heuristic scans for user-visible text that is not marked for translation.

Templates: every text node and every attribute a person reads or hears (title, alt,
placeholder, aria-label, data-confirm …) must come from `{{ _(…) }}` / `{% trans %}`;
what is left once the Jinja parts are taken out must hold no words. Python: literal text
handed to flash(), to a form field's label or description, to a validator's message, to
a field's errors, and Norwegian text kept in module constants must be marked (`_`,
`_l`, `N_`, …). Scripts: no Norwegian sentence in static/js (text comes from the page).
"""
from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: the names that mark text for extraction (babel.cfg's keywords)
MARKERS = {"_", "_l", "N_", "gettext", "lazy_gettext", "ngettext", "pgettext", "npgettext"}
#: attributes a person reads or hears
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-placeholder",
                   "aria-roledescription", "aria-valuetext", "data-confirm", "label", "hx-confirm"}
#: elements whose text is code, shown as it is (an address, a header, a token prefix)
CODE_ELEMENTS = {"code", "pre", "kbd", "samp", "script", "style"}
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉé]{2,}")
#: a lone lower-case token (an attribute name given by a block, a CSS class): not prose
_TOKEN = re.compile(r"^[a-z0-9_-]+$")


class _TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._code = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self._code += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _WORD.search(value.replace("\x00", " ")):
                self.found.append((self.getpos()[0], f"@{name}={value.strip()}"))

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self._code:
            self._code -= 1

    def handle_data(self, data):
        text = " ".join(data.replace("\x00", " ").split())
        if self._code or not _WORD.search(text) or _TOKEN.match(text):
            return
        self.found.append((self.getpos()[0], text))


def _without_jinja(source: str) -> str:
    """The template with every Jinja part replaced by nothing (keeping line numbers); an
    expression leaves a NUL so that `<a>{{ x }}</a>` is an element with (marked) text."""
    def replace(match):
        part = match.group(0)
        return "\n" * part.count("\n") + ("\x00" if part.startswith("{{") else "")
    source = re.sub(r"<(/?)\{\{.*?\}\}", r"<\1x", source)  # a tag named by an expression
    return _JINJA.sub(replace, source)


def unmarked_in_html(source: str) -> list[tuple[int, str]]:
    """(line, text) of each unmarked text of one HTML template."""
    parser = _TextNodes()
    parser.feed(_without_jinja(source))
    parser.close()
    return parser.found


def unmarked_in_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of each unmarked line of one plain-text (e-mail) template."""
    found = []
    for number, line in enumerate(_without_jinja(source).splitlines(), 1):
        text = " ".join(line.replace("\x00", " ").split())
        if _WORD.search(text):
            found.append((number, text))
    return found


def unmarked_in_templates() -> list[str]:
    """`path:line: text` for each unmarked text in templates/**.html and the e-mails."""
    found = []
    for pattern, scan in (("*.html", unmarked_in_html), ("*.txt", unmarked_in_text)):
        for path in sorted((REPO / "templates").rglob(pattern)):
            found += [f"{path.relative_to(REPO)}:{line}: {text}"
                      for line, text in scan(path.read_text(encoding="utf-8"))]
    return found


# --- Python ---------------------------------------------------------------------------------------
#: calls whose text argument (first positional or `message=`) a person reads
_MESSAGE_CALLS = {"flash", "DataRequired", "InputRequired", "Length", "NumberRange", "Email", "Regexp",
                  "URL", "AnyOf", "NoneOf", "EqualTo", "Optional", "ValidationError", "StopValidation"}
#: keywords of a form field a person reads
_FIELD_KEYWORDS = {"label", "description"}
_NORWEGIAN = re.compile(r"[æøåÆØÅ]|\b(og|ikke|er|på|til|for|med|som|du|har|kan|må|skal|av|om|fra|eller|"
                        r"det|den|en|et|ingen|mangler)\b", re.I)


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _is_text(node) -> bool:
    """A literal (or f-string, or concatenation) with words in it, not wrapped in a marker."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_WORD.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _WORD.search(str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _unmarked_constants(tree: ast.Module):
    """Norwegian literals in module-level constants, outside any marker call."""
    marked = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in MARKERS:
            marked.update(id(n) for n in ast.walk(node))
    for statement in tree.body:
        if not isinstance(statement, (ast.Assign, ast.AnnAssign)) or statement.value is None:
            continue
        for node in ast.walk(statement.value):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in marked
                    and " " in node.value.strip() and _NORWEGIAN.search(node.value)):
                yield node.lineno, node.value


def unmarked_in_python(skip_paths: set[str]) -> list[str]:
    """`path:line: text` for each literal a person reads that no marker wraps."""
    found = []
    for path in sorted((REPO / "app").rglob("*.py")):
        rel = str(path.relative_to(REPO))
        if rel in skip_paths or "/demo" in rel or rel.endswith("/demo.py"):
            continue  # demo data is data: it stays in the language it was written in
        found += [f"{rel}:{line}: {text}" for line, text in unmarked_in_module(path.read_text(encoding="utf-8"))]
    return found


def unmarked_in_module(source: str) -> list[tuple[int, str]]:
    """(line, text) of each unmarked literal a person reads, in one Python module."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        texts = []
        if name in _MESSAGE_CALLS:
            texts += node.args[:1] + [k.value for k in node.keywords if k.arg == "message"]
        if name.endswith("Field"):
            texts += node.args[:1] + [k.value for k in node.keywords if k.arg in _FIELD_KEYWORDS]
        if name == "append" and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "errors":
            texts += node.args[:1]
        found += [(t.lineno, ast.unparse(t)[:100]) for t in texts if _is_text(t)]
    found += [(line, repr(text[:100])) for line, text in _unmarked_constants(tree)]
    return found


# --- scripts --------------------------------------------------------------------------------------
_JS_STRING = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|`[^`]*`")


def norwegian_in_scripts() -> list[str]:
    """`path:line: text` for each string literal in static/js that reads as Norwegian."""
    found = []
    for path in sorted((REPO / "static" / "js").glob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            for literal in _JS_STRING.findall(line):
                text = literal[1:-1]
                if " " in text.strip() and _NORWEGIAN.search(text):
                    found.append(f"{path.relative_to(REPO)}:{number}: {text[:100]}")
    return found
