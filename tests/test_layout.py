"""The shape of the code base, as docs/architecture.md describes it.

The Telegram adapter (bot/) holds no SQL; no project module imports another in a circle; bot/ stays
a minority of the product; long modules say at their top why they are long.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORM_PACKAGES = ("sqlmodel", "sqlalchemy")
# bot/persistence.py is PTB's persistence: it *is* storage, for PTB's conversation states.
ALLOWED = {"bot/persistence.py"}
PACKAGES = ("bot", "cli", "demo", "fakeapi", "nlp", "services", "storage", "trust")
# What ships and runs in production; the fake Bot API is a test and demo tool.
PRODUCT = ("bot", "cli", "demo", "nlp", "services", "storage", "trust")
LONG_MODULE = 600  # lines; past this a module says why at its top ("Long because ...")


def orm_imports(path: Path) -> list[str]:
    """The sqlmodel/sqlalchemy modules a file imports, wherever the import statement is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in ORM_PACKAGES]
    return found


def test_no_module_under_bot_imports_sqlmodel_or_sqlalchemy() -> None:
    files = sorted((ROOT / "bot").rglob("*.py"))
    assert files, "bot/ not found next to tests/"
    offenders = {
        rel: imports
        for path in files
        if (rel := path.relative_to(ROOT).as_posix()) not in ALLOWED
        and (imports := orm_imports(path))
    }
    assert offenders == {}, "SQL belongs in storage/ (called through runtime.db.run): " + repr(offenders)


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from sqlalchemy.exc import IntegrityError\n    import sqlmodel as sm\n")
    assert orm_imports(module) == ["sqlalchemy.exc", "sqlmodel"]


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def project_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Project modules ``name`` imports at run time, at any depth (imports under
    ``if TYPE_CHECKING:`` never run, so they cannot close a cycle)."""

    def known(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"), filename=str(path))]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(m for alias in node.names if (m := known(alias.name)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if (m := target if target in modules else known(base)) is not None:
                    found.add(m)
        pending.extend(ast.iter_child_nodes(node))
    found.discard(name)
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph.get(v, ()):
                cycles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_no_project_module_imports_another_in_a_circle() -> None:
    modules = _modules()
    graph = {name: project_imports(name, path, modules) for name, path in modules.items()}
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from a import x\n")
    (tmp_path / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n")
    modules = {name: tmp_path / f"{name}.py" for name in ("a", "b", "c")}
    graph = {name: project_imports(name, path, modules) for name, path in modules.items()}
    assert graph["c"] == set()
    assert import_cycles(graph) == [["a", "b"]]


def _lines(package: str) -> int:
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / package).rglob("*.py"))


def test_the_telegram_adapter_is_under_forty_percent_of_the_product() -> None:
    total = sum(_lines(package) for package in PRODUCT)
    assert _lines("bot") / total < 0.40


def test_long_modules_say_why_at_their_top() -> None:
    unexplained = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if len(text.splitlines()) > LONG_MODULE and "Long because" not in (ast.get_docstring(ast.parse(text)) or ""):
                unexplained.append(path.relative_to(ROOT).as_posix())
    assert unexplained == [], f"split these, or say at the top why they are long: {unexplained}"


def test_the_code_passes_the_linter() -> None:
    """ruff with the rules in pyproject.toml ([tool.ruff.lint]); CI runs the suite, so CI lints."""
    import subprocess
    import sys

    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)], capture_output=True, text=True)
    assert found.returncode == 0, found.stdout + found.stderr
