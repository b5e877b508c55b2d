"""The shape of the code base: the Telegram adapter (bot/) holds no SQL; queries live in storage/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORM_PACKAGES = ("sqlmodel", "sqlalchemy")
# bot/persistence.py is PTB's persistence: it *is* storage, for PTB's conversation states.
ALLOWED = {"bot/persistence.py"}
# B removes these (their queries move to storage/ in the digests and trust-views work).
NOT_YET = {"bot/digest_jobs.py", "bot/staff_trust.py", "bot/officer_trust.py"}


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
        if (rel := path.relative_to(ROOT).as_posix()) not in ALLOWED | NOT_YET
        and (imports := orm_imports(path))
    }
    assert offenders == {}, "SQL belongs in storage/ (called through runtime.db.run): " + repr(offenders)


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from sqlalchemy.exc import IntegrityError\n    import sqlmodel as sm\n")
    assert orm_imports(module) == ["sqlalchemy.exc", "sqlmodel"]
