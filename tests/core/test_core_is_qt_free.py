"""The core library never imports Qt: checked statically and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import factcheck

CORE = Path(factcheck.__file__).parent


def test_no_module_of_factcheck_imports_qt() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in _QT]
    assert offenders == []


_QT = {"PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "qtpy"}


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = sorted(
        "factcheck." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    try: importlib.import_module(m)\n"
        "    except ImportError as e:\n"
        "        if 'PySide' in str(e) or 'Qt' in str(e): raise\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in "
        f"{sorted(_QT)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    assert len(modules) >= 8
