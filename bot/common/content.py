"""Where the files people read live: `content/<locale>/*.ftl`, the FAQ, the reference data and
the demo's example files. The one place that knows the folders; everything else asks here.

In the repository they sit at the top (`content/`, `examples/`), where the design card puts
them. A wheel carries them inside the package, as `bot/content/` and `bot/examples/` (setup.py
copies them there when it builds), so an installed bot finds them through `importlib.resources`
whatever the working directory. A source checkout, or the editable install `make install`
does, has no `bot/content/`: the folders next to the package are used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(name: str) -> Path:
    packaged = resources.files("bot") / name
    if packaged.is_dir():  # an installed wheel
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent.parent / name  # a source checkout


CONTENT_DIR = _folder("content")
REFERENCE_DIR = CONTENT_DIR / "reference"
EXAMPLES_DIR = _folder("examples")
