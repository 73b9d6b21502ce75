"""
The packs of a list of folders: found by file name (``<id>.yaml``), each parsed once and again
only when its file changes, an id found in two folders an error rather than a silent choice.

Which folders are installed is the platform's business (``platform.pack_sources``); reading and
checking one pack is :mod:`pack_loader`'s.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .messages import Message, N_, N_plural
from .pack_loader import CONTENT_DIR, PackError, PackIssue, load_pack_file, unreadable_file
from .pack_model import Pack


@dataclass(frozen=True)
class PackSource:
    """A folder of pack files (``<id>.yaml``) and, for people, where it was named."""
    label: str
    folder: Path | None
    problem: str = ""    # why the source gives no packs (a folder that does not exist, ...)


@dataclass(frozen=True)
class PackEntry:
    """One pack file of a library: its id, source, path, and the pack or why it cannot be used."""
    pack_id: str
    source: PackSource
    path: Path
    outcome: Pack | PackError


class PackLibrary:
    """
    The packs of a list of source folders, each parsed once and again only when its file
    changes. An id found in two sources is an error, never a silent choice.
    """

    def __init__(self, sources: Sequence[PackSource] | str | os.PathLike = CONTENT_DIR):
        if isinstance(sources, (str, os.PathLike)):
            sources = [PackSource(f"folder {sources}", Path(sources))]
        self.sources = tuple(sources)
        self._cache: dict[Path, tuple[tuple[int, int], Pack | PackError]] = {}
        self._lock = threading.Lock()

    def _files(self) -> dict[str, list[tuple[PackSource, Path]]]:
        found: dict[str, list[tuple[PackSource, Path]]] = {}
        for source in self.sources:
            if source.folder is not None and not source.problem and source.folder.is_dir():
                for path in sorted(source.folder.glob("*.yaml")):
                    found.setdefault(path.stem, []).append((source, path))
        return found

    def pack_ids(self) -> list[str]:
        return sorted(self._files())

    def problems(self) -> list[PackIssue]:
        """What is wrong with the sources themselves: unusable sources and ids found twice."""
        issues = [PackIssue(source.label, 1, source.problem) for source in self.sources if source.problem]
        for places in self._files().values():
            if len(places) > 1:
                issues.append(_duplicate_issue(places))
        return issues

    def entries(self) -> list[PackEntry]:
        """Every pack file of every source, in id order, with its pack or its errors."""
        return [PackEntry(pack_id, source, path, self._outcome(path))
                for pack_id, places in sorted(self._files().items()) for source, path in places]

    def path_of(self, pack_id: str) -> Path:
        """The file of the pack ``pack_id``; raises PackError when it is missing or found twice."""
        places = self._files().get(pack_id)
        if not places:
            raise PackError([PackIssue(f"{pack_id}.yaml", 1, Message(N_("no pack {pack}; installed packs: {packs}"),
                                                                     pack=repr(pack_id),
                                                                     packs=", ".join(self.pack_ids())))])
        if len(places) > 1:
            raise PackError([_duplicate_issue(places)])
        return places[0][1]

    def get(self, pack_id: str) -> Pack:
        """Return the pack ``pack_id``; raise :class:`PackError` if it is missing, found twice or broken."""
        outcome = self._outcome(self.path_of(pack_id))
        if isinstance(outcome, PackError):
            raise outcome.fresh()
        return outcome

    def _outcome(self, path: Path) -> Pack | PackError:
        try:
            stat = path.stat()
        except OSError as error:
            return PackError([PackIssue(str(path), 1, unreadable_file(error))])
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
            if cached is None or cached[0] != stamp:
                try:
                    outcome: Pack | PackError = load_pack_file(path)
                except PackError as error:
                    outcome = error.with_traceback(None)
                self._cache[path] = cached = (stamp, outcome)
        return cached[1]


def _duplicate_issue(places: list[tuple[PackSource, Path]]) -> PackIssue:
    where = "; ".join(f"{source.label} ({path})" for source, path in places)
    return PackIssue(str(places[0][1]), 1, Message(
        N_plural("the pack id {id} is in {count} place: {where}. Remove or rename all but one.",
                 "the pack id {id} is in {count} places: {where}. Remove or rename all but one."),
        len(places), id=repr(places[0][1].stem), where=where))
