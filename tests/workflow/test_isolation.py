"""app.workflow is plain Python: it must not import Flask, SQLAlchemy or their friends."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "app" / "workflow"
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf",
             "sqlalchemy", "werkzeug", "jinja2", "wtforms", "alembic")

# app/__init__.py builds the Flask app and so imports Flask itself. The probe registers a
# bare `app` package first so that only app.workflow's own imports are measured.
PROBE = """
import importlib, json, pkgutil, sys, types
if {isolate}:
    parent = types.ModuleType("app")
    parent.__path__ = [{app_dir!r}]
    sys.modules["app"] = parent
import app.workflow
for info in pkgutil.iter_modules(app.workflow.__path__):
    importlib.import_module("app.workflow." + info.name)
loaded = sorted(name for name in sys.modules
                if name.split(".")[0] in {forbidden!r})
workflow = sorted(name for name in sys.modules if name.startswith("app.workflow"))
print(json.dumps({{"forbidden": loaded, "workflow": workflow}}))
"""


def _probe(isolate: bool) -> dict:
    code = PROBE.format(isolate=isolate, app_dir=str(ROOT / "app"), forbidden=FORBIDDEN)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_importing_the_workflow_loads_no_web_or_database_library():
    result = _probe(isolate=True)
    assert "app.workflow.rules" in result["workflow"]
    assert "app.workflow.checklists" in result["workflow"]
    assert result["forbidden"] == []


def test_the_probe_would_notice_flask():
    """Control: through the real app package Flask is loaded, and the probe sees it."""
    pytest.importorskip("flask")
    assert "flask" in _probe(isolate=False)["forbidden"]


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_modules_import_only_the_standard_library_and_the_package(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." if node.level else node.module)
    foreign = {name for name in imported
               if name != "." and name.split(".")[0] not in sys.stdlib_module_names
               and name != "app.workflow" and not name.startswith("app.workflow.")}
    assert foreign == set()
