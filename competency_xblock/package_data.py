"""
Where the package's data folders (``static/``, ``content/``) are.

A wheel carries them inside the package (``setup.py`` maps the repository's top-level folders
there); a source checkout, which an editable install runs from, keeps them at the top of the
repository. Standard library only, so the domain may use it.
"""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_ROOT = PACKAGE_DIR if (PACKAGE_DIR / "static").is_dir() else PACKAGE_DIR.parent


def data_path(relative: str) -> Path:
    """The path of ``relative`` (e.g. ``"static/js/assessment.js"``) among the data folders."""
    return DATA_ROOT / relative


def read_text(relative: str) -> str:
    """The text of the data file ``relative`` (UTF-8)."""
    return data_path(relative).read_text(encoding="utf-8")
