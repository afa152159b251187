"""The import contract of `bot/` (issue 14), read from the source: which layer and which
feature area may import which.

- layers, bottom up: db, delivery, common < services < flows < handlers < app, cli, demo; a
  module never imports a layer above its own;
- services and `bot/common/` know no aiogram (nor aiogram-dialog, aiogram-i18n): what a
  service puts under a message is callback data spelled by `bot/services/<area>/callbacks.py`;
- `bot/common/` knows no feature area;
- a handlers or flows module of one area imports no other area's handlers or flows: what
  areas share is in `common` (`bot/flows/common/states.py` says where each dialog starts),
  in services, or in a callback format.

Every import counts, also those under `if TYPE_CHECKING:` and inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "bot"
RANK = {"db": 0, "delivery": 0, "common": 0, "services": 1, "flows": 2, "handlers": 3}
RANK |= {"app": 4, "cli": 4, "demo": 4, "web": 4}
AREA_LAYERS = ("handlers", "flows")
UI_LIBRARIES = ("aiogram", "aiogram_dialog", "aiogram_i18n")


def imported(tree: ast.AST, module: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every import; `from a import b` gives "a.b" (b may be a module)."""
    found = []
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def layer_area(name: str) -> tuple[str | None, str | None]:
    """("handlers", "desk") for bot.handlers.desk.staff; ("db", None) for bot.db.models."""
    parts = name.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return None, None
    layer = parts[1]
    area = parts[2] if layer in (*AREA_LAYERS, "services") and len(parts) > 3 else None
    return layer, area


def broken_rules(module: str, tree: ast.AST) -> list[str]:
    layer, area = layer_area(module + ".x")
    broken = []
    for line, name in imported(tree, module):
        where = f"{module}:{line} imports {name}"
        target_layer, target_area = layer_area(name)
        if layer in ("services", "common") and name.split(".")[0] in UI_LIBRARIES:
            broken.append(f"{where} ({layer} know no aiogram)")
        if layer in RANK and target_layer in RANK and RANK[target_layer] > RANK[layer]:
            broken.append(f"{where} (a layer above)")
        if layer == "common" and target_area is not None:
            broken.append(f"{where} (common knows no area)")
        if (
            layer in AREA_LAYERS
            and area not in (None, "common")
            and target_layer in AREA_LAYERS
            and target_area not in (None, "common", area)
        ):
            broken.append(f"{where} (another area's {target_layer})")
    return broken


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_imports_keep_the_contract() -> None:
    broken = [
        rule
        for path in sorted(ROOT.rglob("*.py"))
        for rule in broken_rules(
            module_name(path) if path.name != "__init__.py" else module_name(path) + ".__init__",
            ast.parse(path.read_text(encoding="utf-8")),
        )
    ]
    assert broken == []


def test_the_contract_sees_each_kind_of_breach() -> None:
    planted = {
        "bot.services.desk.tickets": "from aiogram.types import Message",
        "bot.services.vacancies.cards": "from bot.handlers.desk.callbacks import EscalationAction",
        "bot.handlers.staff.home": "from bot.flows.sessions.screens import OrganiserAction",
        "bot.flows.sessions.post": "from bot.flows.vacancies import post",
        "bot.common.clock": "from bot.services.sessions import keys",
        "bot.common.callbacks": "import aiogram",
        "bot.db.models": "from bot.services.sessions.keys import reminder",
        "bot.flows.participants.registration": "from bot.handlers.common import keyboards",
    }
    assert all(broken_rules(module, ast.parse(code)) for module, code in planted.items())
    allowed = {
        "bot.handlers.staff.home": "from bot.handlers.common.screens import show",
        "bot.handlers.desk.staff": "from bot.flows.common.states import NewSession",
        "bot.handlers.sessions.organiser": "from ..sessions.screens import OrganiserAction",
        "bot.services.staff.home": "from bot.services.desk import tickets",
        "bot.app": "from bot.handlers import desk",
    }
    assert not any(broken_rules(module, ast.parse(code)) for module, code in allowed.items())
