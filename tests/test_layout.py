"""The test suite's own house rules: a test module imports helpers from `tests/helpers/` (or
gets fixtures from a conftest), never from another test module, so moving or deleting one
test file never breaks another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _imported_test_modules(path: Path) -> list[str]:
    """The `test_*` modules that `path` imports from (`from tests.x.test_y import ...`,
    `import tests.x.test_y`, relative imports alike)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            # `from tests.e2e import test_welcome` names the module in the import list.
            joint = "" if base.endswith(".") else "."
            modules = [base] + [f"{base}{joint}{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        ours = [m for m in modules if m.startswith(("tests.", "."))]  # not aiohttp.test_utils
        found += [m for m in ours if m.rsplit(".", 1)[-1].startswith("test_")]
    return found


def _offenders() -> dict[str, list[str]]:
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        imported = _imported_test_modules(path)
        if imported:
            offenders[path.relative_to(ROOT).as_posix()] = imported
    return offenders


def test_no_test_module_imports_from_another_test_module() -> None:
    assert _offenders() == {}, "move what they share to tests/helpers/ (or a conftest fixture)"


def test_the_scan_sees_such_an_import(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    module.write_text(
        "from tests.e2e.participants.test_welcome import texts\n"
        "import tests.services.vacancies.test_alerts\n"
        "from tests.helpers import texts\nfrom . import test_y\n",
        encoding="utf-8",
    )
    assert _imported_test_modules(module) == [
        "tests.e2e.participants.test_welcome",
        "tests.services.vacancies.test_alerts",
        ".test_y",
    ]
