"""
Where the installed competency packs come from, in this order:

1. the packs shipped in this package (``content/``);
2. packs of other installed distributions: an entry point in the group
   ``competency_xblock.packs`` whose value names a package of that distribution; the
   package's folder holds its ``<id>.yaml`` files::

       # the other distribution's setup.py / pyproject.toml
       entry_points={"competency_xblock.packs": ["teamwork = acme_packs.packs"]}

3. folders the operator lists: the Django setting ``COMPETENCY_XBLOCK_PACK_DIRS`` (a list
   of paths) and, for the workbench and the CLI, the environment variable of the same name
   (paths separated by ``os.pathsep``).

A course's own pack (written in Studio) is no installed pack: the block keeps it in a field.
The library is built once per process (and again if the operator's folders change); the
packs in it are re-read when their files change.
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

from django.conf import settings

from ..domain.pack_library import PackLibrary, PackSource
from ..domain.pack_loader import CONTENT_DIR

ENTRY_POINT_GROUP = "competency_xblock.packs"
FOLDERS_SETTING = "COMPETENCY_XBLOCK_PACK_DIRS"
FOLDERS_ENVIRONMENT_VARIABLE = "COMPETENCY_XBLOCK_PACK_DIRS"


def shipped_source() -> PackSource:
    return PackSource("shipped with competency-xblock", CONTENT_DIR)


def _package_folder(package: str) -> Path | None:
    """The folder of the (regular or namespace) package ``package``, found without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):   # a missing parent package, or an empty/relative name
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def entry_point_sources() -> list[PackSource]:
    """One source per entry point of the group; one naming no package folder says so."""
    sources = []
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: (ep.name, ep.value)):
        distribution = f"{entry_point.dist.name} {entry_point.dist.version}" if entry_point.dist else "?"
        label = f"{distribution} (entry point {entry_point.name} = {entry_point.value})"
        folder = _package_folder(entry_point.value)
        problem = "" if folder and folder.is_dir() else (
            f"the entry point's value {entry_point.value!r} names no package folder; "
            "give a package (a folder with __init__.py) that holds the <id>.yaml files")
        sources.append(PackSource(label, folder, problem))
    return sources


def operator_folders() -> tuple[tuple[str, str], ...]:
    """(where it was named, folder) for each folder of the Django setting and the environment variable."""
    named = []
    if settings.configured:
        folders = getattr(settings, FOLDERS_SETTING, ()) or ()
        named += [(f"setting {FOLDERS_SETTING}", str(folder)) for folder in
                  ([folders] if isinstance(folders, (str, os.PathLike)) else folders)]
    value = os.environ.get(FOLDERS_ENVIRONMENT_VARIABLE, "")
    named += [(f"environment variable {FOLDERS_ENVIRONMENT_VARIABLE}", folder)
              for folder in value.split(os.pathsep) if folder.strip()]
    seen, unique = set(), []
    for where, folder in named:
        resolved = str(Path(folder).expanduser().resolve())
        if resolved not in seen:
            seen.add(resolved)
            unique.append((where, resolved))
    return tuple(unique)


def operator_sources(folders: tuple[tuple[str, str], ...]) -> list[PackSource]:
    sources = []
    for where, folder in folders:
        path = Path(folder)
        problem = "" if path.is_dir() else "the folder does not exist or is not a folder"
        sources.append(PackSource(f"folder {folder} ({where})", path, problem))
    return sources


@lru_cache(maxsize=8)
def _library(folders: tuple[tuple[str, str], ...]) -> PackLibrary:
    return PackLibrary([shipped_source(), *entry_point_sources(), *operator_sources(folders)])


def installed_library() -> PackLibrary:
    """Every installed pack: shipped, from other distributions, from the operator's folders."""
    return _library(operator_folders())
