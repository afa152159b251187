"""Packaging hook: everything the bot reads at run time goes into the wheel.

The Fluent files, the FAQ and the reference data live in `content/` at the top of the
repository (where the design card puts them), the demo's files in `examples/`. Building a wheel
copies both into the package, as `bot/content/` and `bot/examples/`, where
`bot/common/content.py` finds them through `importlib.resources`. An editable install
(`pip install -e .`) copies nothing: the bot reads the repository's folders in place.
The rest of the configuration is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Folder in the repository -> folder inside the `bot` package of the wheel.
RUNTIME_FOLDERS = {"content": "content", "examples": "examples"}


class BuildWithContent(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for source, target in RUNTIME_FOLDERS.items():
            destination = Path(self.build_lib) / "bot" / target
            shutil.rmtree(destination, ignore_errors=True)
            shutil.copytree(
                ROOT / source, destination, ignore=shutil.ignore_patterns("__pycache__")
            )

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not self.editable_mode:
            for source, target in RUNTIME_FOLDERS.items():
                for path in sorted((ROOT / source).rglob("*")):
                    if path.is_file() and "__pycache__" not in path.parts:
                        relative = path.relative_to(ROOT / source)
                        outputs.append(str(Path(self.build_lib) / "bot" / target / relative))
        return outputs


setup(cmdclass={"build_py": BuildWithContent})
