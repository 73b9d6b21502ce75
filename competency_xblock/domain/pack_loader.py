"""
Load competency packs from YAML, check them, and keep them cached.

A pack is checked twice: against ``content/schema.json`` (shape and types, with
jsonschema) and then against the rules a schema cannot express (unique ids, an
item's dimension exists, every text in every language, cut scores in order).
Every problem becomes a :class:`PackIssue` naming the file, the line and the field.

Packs are parsed once per process and again only when their file changes.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from ..package_data import data_path
from .pack_model import (
    LEVELS, SELF_ASSESSMENT, SITUATIONAL, Dimension, Item, Level, Link, Option, Pack,
    ScoringRules,
)

CONTENT_DIR = data_path("content")
SCHEMA_PATH = CONTENT_DIR / "schema.json"


@dataclass(frozen=True)
class PackIssue:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[PackIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _line_map(node: yaml.Node, path: tuple = (), lines: dict | None = None) -> dict:
    """Map each JSON path (tuple of keys and indexes) to its 1-based line."""
    lines = {} if lines is None else lines
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = path + (key_node.value,)
            _line_map(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, value_node in enumerate(node.value):
            _line_map(value_node, path + (index,), lines)
    return lines


def _field_name(path: tuple) -> str:
    return ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in path).replace(".[", "[")


class _Checker:
    """Collects issues for one file, resolving paths to lines."""

    def __init__(self, file: str, lines: dict):
        self.file = file
        self.lines = lines
        self.issues: list[PackIssue] = []

    def add(self, path: tuple, message: str) -> None:
        probe = tuple(path)
        while probe not in self.lines and probe:
            probe = probe[:-1]
        where = f"{_field_name(path)}: " if path else ""
        self.issues.append(PackIssue(self.file, self.lines.get(probe, 1), where + message))


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "pattern" and "https?" in str(error.validator_value):
        return f"{error.instance!r} is not an http(s) URL"
    if error.validator == "pattern" and "a-z][a-z0-9_]" in str(error.validator_value):
        return f"{error.instance!r} is not an id (lower-case letters, digits and _, starting with a letter)"
    return error.message


def _leaf_errors(error: jsonschema.ValidationError):
    """For an item that fits neither item shape, the errors of the shape its ``type`` names."""
    if error.validator != "oneOf" or not isinstance(error.instance, dict):
        return [error]
    branch = {SITUATIONAL: 0, SELF_ASSESSMENT: 1}.get(error.instance.get("type"))
    chosen = [sub for sub in error.context or () if sub.schema_path and sub.schema_path[0] == branch]
    return chosen or [error]


def _check_schema(data, checker: _Checker) -> None:
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        for leaf in _leaf_errors(error):
            checker.add(tuple(leaf.absolute_path), _schema_message(leaf))


def _check_texts(node, path: tuple, languages: list, checker: _Checker) -> None:
    """Every localized text names exactly the pack's languages."""
    if isinstance(node, dict):
        if path and path[-1] in _LOCALIZED_FIELDS:
            for missing in [lang for lang in languages if lang not in node]:
                checker.add(path, f"missing the {missing!r} text")
            for unknown in sorted(set(node) - set(languages)):
                checker.add(path + (unknown,), f"language {unknown!r} is not among the pack's languages {languages}")
            return
        for key, value in node.items():
            _check_texts(value, path + (key,), languages, checker)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_texts(value, path + (index,), languages, checker)


_LOCALIZED_FIELDS = {"name", "category", "definition", "description", "needed_in", "title",
                     "behaviour", "scene", "statement", "text", "tips", "self_assessment_scale"}


def _check_rules(data: dict, checker: _Checker) -> None:
    languages = data["languages"]
    _check_texts(data, (), languages, checker)

    cuts = data["scoring"]["cut_scores"]
    if not cuts[0] < cuts[1]:
        checker.add(("scoring", "cut_scores"), f"cut scores must rise: C1 < C2, got {cuts}")

    level_numbers = [level["level"] for level in data["levels"]]
    if sorted(level_numbers) != list(LEVELS):
        checker.add(("levels",), f"levels must be exactly 1, 2 and 3 once each, got {level_numbers}")

    dimension_ids = [dimension["id"] for dimension in data["dimensions"]]
    for index, dimension in enumerate(data["dimensions"]):
        own_cuts = dimension.get("cut_scores")
        if own_cuts and not own_cuts[0] < own_cuts[1]:
            checker.add(("dimensions", index, "cut_scores"), f"cut scores must rise: C1 < C2, got {own_cuts}")
    for dimension_id in data.get("manager_tips", {}):
        if dimension_id not in dimension_ids:
            checker.add(("manager_tips", dimension_id), f"unknown dimension {dimension_id!r}; known: {dimension_ids}")
    _check_unique(dimension_ids, ("dimensions",), "dimension", checker)
    _check_unique([item["id"] for item in data["items"]], ("items",), "item", checker)

    per_dimension = {dimension_id: 0 for dimension_id in dimension_ids}
    for index, item in enumerate(data["items"]):
        path = ("items", index)
        if item["dimension"] not in per_dimension:
            checker.add(path + ("dimension",), f"unknown dimension {item['dimension']!r}; known: {dimension_ids}")
        else:
            per_dimension[item["dimension"]] += 1
        if item["type"] == SITUATIONAL:
            _check_unique([option["id"] for option in item["options"]], path + ("options",), "option", checker)
            if max(option["points"] for option in item["options"]) != 3:
                checker.add(path + ("options",), "no option is keyed 3 points (the best answer)")
    minimum = data["scoring"]["min_items_per_dimension"]
    for index, dimension_id in enumerate(dimension_ids):
        if per_dimension[dimension_id] < minimum:
            checker.add(("dimensions", index), f"dimension {dimension_id!r} has {per_dimension[dimension_id]} "
                        f"items, fewer than min_items_per_dimension ({minimum})")


def _check_unique(ids: list, path: tuple, what: str, checker: _Checker) -> None:
    seen = set()
    for index, value in enumerate(ids):
        if value in seen:
            checker.add(path + (index, "id"), f"duplicate {what} id {value!r}")
        seen.add(value)


def _tuple_map(mapping: dict) -> dict:
    return {language: tuple(values) for language, values in mapping.items()}


def _build(data: dict, source: str) -> Pack:
    scoring = data["scoring"]
    return Pack(
        id=data["id"], version=data["version"], languages=tuple(data["languages"]),
        name=data["name"], category=data["category"], definition=data["definition"],
        scoring=ScoringRules(tuple(scoring["cut_scores"]), float(scoring["self_assessment_weight"]),
                             scoring["min_items_per_dimension"]),
        scale=_tuple_map(data["self_assessment_scale"]),
        dimensions=tuple(
            Dimension(id=d["id"], name=d["name"], tips=_tuple_map(d["tips"]),
                      description=d.get("description", {}), weight=float(d.get("weight", 1)),
                      cut_scores=tuple(d["cut_scores"]) if "cut_scores" in d else None,
                      manager_tips=_tuple_map(data.get("manager_tips", {}).get(d["id"], {})))
            for d in data["dimensions"]),
        levels=tuple(sorted((Level(level=l["level"], name=l["name"], description=l["description"],
                                   needed_in=l["needed_in"]) for l in data["levels"]),
                            key=lambda level: level.level)),
        links=tuple(Link(levels=tuple(l["levels"]), kind=l["kind"], title=l["title"], url=l["url"])
                    for l in data["links"]),
        items=tuple(build_item(item) for item in data["items"]),
        source=source,
    )


def build_item(item: dict) -> Item:
    """Build an :class:`Item` from its checked mapping (also used for Studio-added items)."""
    situational = item["type"] == SITUATIONAL
    return Item(
        id=item["id"], type=item["type"], dimension=item["dimension"], behaviour=item["behaviour"],
        prompt=item["scene"] if situational else item["statement"], weight=float(item.get("weight", 1)),
        options=tuple(Option(o["id"], o["points"], o["text"]) for o in item.get("options", ())),
        reverse=bool(item.get("reverse", False)),
    )


def parse_pack(text: str, file: str = "<pack>") -> Pack:
    """Parse and check a pack's YAML text; raise :class:`PackError` listing every problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise PackError([PackIssue(file, line, f"invalid YAML: {problem}")]) from None
    if root is None or not isinstance(data, dict):
        raise PackError([PackIssue(file, 1, "a pack must be a YAML mapping (id, languages, items, ...)")])
    checker = _Checker(file, _line_map(root))
    _check_schema(data, checker)
    if not checker.issues:
        _check_rules(data, checker)
    if checker.issues:
        raise PackError(checker.issues)
    return _build(data, file)


def load_pack_file(path: str | os.PathLike) -> Pack:
    """Read, parse and check the pack at ``path``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError([PackIssue(str(path), 1, f"cannot read the file: {error}")]) from None
    return parse_pack(text, str(path))


class PackLibrary:
    """The packs of one folder, each parsed once and again only when its file changes."""

    def __init__(self, directory: str | os.PathLike = CONTENT_DIR):
        self.directory = Path(directory)
        self._cache: dict[Path, tuple[tuple[int, int], Pack | PackError]] = {}
        self._lock = threading.Lock()

    def pack_ids(self) -> list[str]:
        return sorted(path.stem for path in self.directory.glob("*.yaml"))

    def get(self, pack_id: str) -> Pack:
        """Return the pack ``pack_id``; raise :class:`PackError` if it is missing or broken."""
        if pack_id not in self.pack_ids():
            raise PackError([PackIssue(f"{pack_id}.yaml", 1,
                                       f"no pack {pack_id!r}; installed packs: {', '.join(self.pack_ids())}")])
        path = self.directory / f"{pack_id}.yaml"
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(path)
            if cached is None or cached[0] != stamp:
                try:
                    outcome: Pack | PackError = load_pack_file(path)
                except PackError as error:
                    outcome = error
                self._cache[path] = (stamp, outcome)
                cached = self._cache[path]
        if isinstance(cached[1], PackError):
            raise cached[1]
        return cached[1]


DEFAULT_LIBRARY = PackLibrary()
