"""
Load competency packs from YAML, check them, and keep them cached.

A pack is checked twice: against ``content/schema.json`` (shape and types, with
jsonschema) and then against the rules a schema cannot express (unique ids, an
item's dimension exists, every text in every language, cut scores in order).
Every problem becomes a :class:`PackIssue` naming the file, the line and the field:
each problem once, on the line of the key or value it is about, sorted by line. Its
message is a :class:`messages.Message`: English as it stands, translated where a block
shows it to a course designer (Studio).

Pack texts may come from outside (another distribution, an operator's folder, a course
team typing in Studio), so they are bad input until checked: the text is size-limited,
loaded with the safe loader, and anchors/aliases are refused while composing, before
anything is expanded (a "billion laughs" pack costs one parse of its text).

Where packs come from is not this module's business: :mod:`pack_library` keeps the packs
of a list of folders (``platform.pack_sources`` names the installed ones). A course's own
pack is parsed once per process (:func:`parse_pack_cached`).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import jsonschema
import yaml

from ..package_data import data_path
from .messages import Message, N_, N_plural
from .pack_model import (
    LEVELS, SELF_ASSESSMENT, SITUATIONAL, Dimension, Item, Level, Link, Option, Pack,
    ScoringRules,
)

CONTENT_DIR = data_path("content")
SCHEMA_PATH = CONTENT_DIR / "schema.json"
TEMPLATE_PATH = CONTENT_DIR / "template" / "new_pack.yaml"

# A bigger text is refused unread. The customer-service pack (36 items, four languages) is
# about 140 KB; the 500-item pack of the scaling benchmark in four languages about 1.3 MB.
MAX_PACK_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class PackIssue:
    file: str
    line: int
    message: str  # English; a Message (translatable with messages.translate), or jsonschema's plain text

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[PackIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))

    def fresh(self) -> "PackError":
        """A new error with these issues, to raise in place of a kept one (a kept error raised again
        would gather every raise's traceback, and the frames in it, for as long as it is kept)."""
        return PackError(self.issues)


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


def _duplicate_keys(node: yaml.Node, path: tuple = ()):
    """(path, line) of each key written a second time in its mapping: YAML would silently keep the last."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                yield path + (key,), key_node.start_mark.line + 1
            seen.add(key)
            yield from _duplicate_keys(value_node, path + (key,))
    elif isinstance(node, yaml.SequenceNode):
        for index, value_node in enumerate(node.value):
            yield from _duplicate_keys(value_node, path + (index,))


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
        if path:  # punctuation only: the field's name is the pack's own key, the same in every language
            message = Message("{field}: {problem}", field=_field_name(path), problem=message)
        issue = PackIssue(self.file, self.lines.get(probe, 1), message)
        if issue not in self.issues:   # an item's shape and its type's shape can both report a missing field
            self.issues.append(issue)

    def sorted_issues(self) -> list[PackIssue]:
        """The issues by line; those of one line in the order they were found."""
        return sorted(self.issues, key=lambda issue: issue.line)


def _unknown_keys(error: jsonschema.ValidationError) -> list[str]:
    """The keys an ``additionalProperties: false`` error is about."""
    known = error.schema.get("properties", {})
    return [key for key in error.instance if key not in known]


def _shown(value) -> str:
    """``repr(value)``, cut short: a whole list or mapping would drown the message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# What each pattern of content/schema.json asks for, in words (fragments of the patterns say which).
_PATTERN_MESSAGES = (
    ("https?", N_("{value} is not an http(s) URL")),
    ("a-z][a-z0-9_]", N_("{value} is not an id (lower-case letters, digits and _, starting with a letter)")),
    ("a-z0-9_]{1,16}", N_("{value} is not an option id (1 to 16 lower-case letters, digits and _)")),
    ("a-z]{2}(-", N_("{value} is not a language code (such as pl, en or pt-br)")),
    ("\\S", N_("the text is blank")),
)


def _schema_message(error: jsonschema.ValidationError) -> Message | str:
    """The schema error in the loader's own words (jsonschema's for the common ones), translatable."""
    validator, limit, value = error.validator, error.validator_value, _shown(error.instance)
    if validator == "required":
        missing = next((key for key in limit if f"{key!r} is a required property" == error.message), None)
        if missing is not None:
            return Message(N_("{name} is a required property"), name=repr(missing))
    elif validator == "type":
        kinds = ", ".join(repr(kind) for kind in (limit if isinstance(limit, list) else [limit]))
        return Message(N_("{value} is not of type {type}"), value=value, type=kinds)
    elif validator == "enum":
        return Message(N_("{value} is not one of {allowed}"), value=value, allowed=repr(limit))
    elif validator == "const":
        return Message(N_("{expected} was expected"), expected=repr(limit))
    elif validator == "minimum":
        return Message(N_("{value} is less than the minimum of {limit}"), value=value, limit=repr(limit))
    elif validator == "maximum":
        return Message(N_("{value} is greater than the maximum of {limit}"), value=value, limit=repr(limit))
    elif validator == "exclusiveMinimum":
        return Message(N_("{value} must be greater than {limit}"), value=value, limit=repr(limit))
    elif validator in ("minItems", "minProperties"):
        return Message(N_plural("needs at least {count} entry", "needs at least {count} entries"), limit)
    elif validator == "maxItems":
        return Message(N_plural("allows at most {count} entry", "allows at most {count} entries"), limit)
    elif validator == "minLength":
        return Message(N_("the text is empty"))
    elif validator == "uniqueItems":
        return Message(N_("the list holds the same entry twice"))
    elif validator == "pattern":
        for fragment, template in _PATTERN_MESSAGES:
            if fragment in str(limit):
                return Message(template, value=value)
    elif validator == "oneOf" and isinstance(error.instance, dict):  # an item of no known type
        return Message(N_("an item's type must be {situational} or {self_assessment}"),
                       situational=repr(SITUATIONAL), self_assessment=repr(SELF_ASSESSMENT))
    return error.message  # a check the schema may gain later: jsonschema's English


def _leaf_errors(error: jsonschema.ValidationError):
    """For an item that fits neither item shape, the errors of the shape its ``type`` names."""
    if error.validator != "oneOf" or not isinstance(error.instance, dict):
        return [error]
    branch = {SITUATIONAL: 0, SELF_ASSESSMENT: 1}.get(error.instance.get("type"))
    chosen = [sub for sub in error.context or () if sub.schema_path and sub.schema_path[0] == branch]
    return chosen or [error]


def _check_schema(data, checker: _Checker) -> None:
    for error in _validator().iter_errors(data):
        for leaf in _leaf_errors(error):
            path = tuple(leaf.absolute_path)
            if leaf.validator == "additionalProperties" and leaf.validator_value is False:
                allowed = ", ".join(leaf.schema.get("properties", {}))
                for key in _unknown_keys(leaf):   # on the line of the key itself, not of its mapping
                    checker.add(path + (key,), Message(N_("unknown field; allowed here: {allowed}"), allowed=allowed))
            else:
                checker.add(path, _schema_message(leaf))


def _check_file_name(data: dict, expected_id: str | None, checker: _Checker) -> None:
    """A pack in a folder is found by its file name, so ``<id>.yaml`` must name it."""
    if expected_id is not None and isinstance(data.get("id"), str) and data["id"] != expected_id:
        checker.add(("id",), Message(N_("the id {id} differs from the file name {file}; name the file {new_file} "
                                        "or change the id"), id=repr(data["id"]), file=repr(expected_id + ".yaml"),
                                     new_file=repr(data["id"] + ".yaml")))


def _check_texts(node, path: tuple, languages: list, checker: _Checker) -> None:
    """Every localized text names exactly the pack's languages."""
    if isinstance(node, dict):
        # manager_tips maps a dimension id to its localized tips: {empathy: {pl: [...], en: [...]}}
        if path and (path[-1] in _LOCALIZED_FIELDS or (len(path) == 2 and path[0] == "manager_tips")):
            for missing in [lang for lang in languages if lang not in node]:
                checker.add(path, Message(N_("missing the {language} text"), language=repr(missing)))
            for unknown in sorted(set(node) - set(languages)):
                checker.add(path + (unknown,), Message(N_("language {language} is not among the pack's languages "
                                                          "{languages}"), language=repr(unknown), languages=languages))
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
        checker.add(("scoring", "cut_scores"), _falling_cuts(cuts))

    level_numbers = [level["level"] for level in data["levels"]]
    if sorted(level_numbers) != list(LEVELS):
        checker.add(("levels",), Message(N_("levels must be exactly 1, 2 and 3 once each, got {levels}"),
                                         levels=level_numbers))

    dimension_ids = [dimension["id"] for dimension in data["dimensions"]]
    for index, dimension in enumerate(data["dimensions"]):
        own_cuts = dimension.get("cut_scores")
        if own_cuts and not own_cuts[0] < own_cuts[1]:
            checker.add(("dimensions", index, "cut_scores"), _falling_cuts(own_cuts))
    for dimension_id in data.get("manager_tips", {}):
        if dimension_id not in dimension_ids:
            checker.add(("manager_tips", dimension_id), _unknown_dimension(dimension_id, dimension_ids))
    _check_unique(dimension_ids, ("dimensions",), N_("duplicate dimension id {id}"), checker)
    _check_unique([item["id"] for item in data["items"]], ("items",), N_("duplicate item id {id}"), checker)

    per_dimension = {dimension_id: 0 for dimension_id in dimension_ids}
    for index, item in enumerate(data["items"]):
        path = ("items", index)
        if item["dimension"] not in per_dimension:
            checker.add(path + ("dimension",), _unknown_dimension(item["dimension"], dimension_ids))
        else:
            per_dimension[item["dimension"]] += 1
        if item["type"] == SITUATIONAL:
            _check_unique([option["id"] for option in item["options"]], path + ("options",),
                          N_("duplicate option id {id}"), checker)
            if max(option["points"] for option in item["options"]) != 3:
                checker.add(path + ("options",), Message(N_("no option is keyed 3 points (the best answer)")))
    minimum = data["scoring"]["min_items_per_dimension"]
    for index, dimension_id in enumerate(dimension_ids):
        if per_dimension[dimension_id] < minimum:
            checker.add(("dimensions", index), Message(
                N_plural("dimension {dimension} has {count} item, fewer than min_items_per_dimension ({minimum})",
                         "dimension {dimension} has {count} items, fewer than min_items_per_dimension ({minimum})"),
                per_dimension[dimension_id], dimension=repr(dimension_id), minimum=minimum))


def _check_unique(ids: list, path: tuple, template: str, checker: _Checker) -> None:
    seen = set()
    for index, value in enumerate(ids):
        if value in seen:
            checker.add(path + (index, "id"), Message(template, id=repr(value)))
        seen.add(value)


def _falling_cuts(cuts) -> Message:
    return Message(N_("cut scores must rise: C1 < C2, got {cuts}"), cuts=cuts)


def _unknown_dimension(dimension_id, known: list) -> Message:
    return Message(N_("unknown dimension {dimension}; known: {known}"), dimension=repr(dimension_id), known=known)


def _too_big(template, size: int) -> Message:
    """A text of ``size`` bytes, over :data:`MAX_PACK_BYTES`, in the words of ``template`` (counted by ``size``).
    The numbers are plain digits: a grouping comma reads as a decimal one in Polish, Russian or Latvian."""
    return Message(template, size, limit=MAX_PACK_BYTES)


def _tuple_map(mapping: dict) -> dict:
    return {language: tuple(values) for language, values in mapping.items()}


def _build(data: dict, source: str) -> Pack:
    scoring = data["scoring"]
    return Pack(
        id=data["id"], version=data["version"], languages=tuple(data["languages"]),
        name=data["name"], category=data["category"], definition=data["definition"],
        scoring=ScoringRules(tuple(scoring["cut_scores"]), float(scoring["self_assessment_weight"]),
                             scoring["min_items_per_dimension"],
                             scoring.get("min_situational_per_dimension", 1)),
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


class _PackYamlLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
    """PyYAML's safe loader, refusing aliases as it meets them: nothing is ever expanded."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, Message(N_("anchors and aliases (*name) are not allowed in a pack; write the text out")),
                self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _read_yaml(text: str, file: str) -> tuple[yaml.Node, object]:
    """The node tree (for lines) and the data of ``text``; raises PackError for bad YAML."""
    size = len(text.encode("utf-8"))
    if size > MAX_PACK_BYTES:
        raise PackError([PackIssue(file, 1, _too_big(N_plural(
            "the pack is {count} byte; at most {limit} are allowed",
            "the pack is {count} bytes; at most {limit} are allowed"), size))])
    loader = _PackYamlLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise PackError([PackIssue(file, line, Message(N_("invalid YAML: {problem}"), problem=problem))]) from None
    except RecursionError:
        raise PackError([PackIssue(file, 1, Message(N_("invalid YAML: nested too deeply")))]) from None
    finally:
        loader.dispose()


def parse_pack(text: str, file: str = "<pack>", expected_id: str | None = None, rules=None) -> Pack:
    """
    Parse and check a pack's YAML text; raise :class:`PackError` listing every problem,
    sorted by line. ``expected_id``: the id the file name gives (packs in folders).
    ``rules``, when given, is a function of the built pack returning further findings as
    (path, message), such as ``pack_rules.findings`` (``validate`` applies it).
    """
    root, data = _read_yaml(text, file)
    if root is None or not isinstance(data, dict):
        raise PackError([PackIssue(file, 1, Message(N_("a pack must be a YAML mapping (id, languages, items, ...)")))])
    checker = _Checker(file, _line_map(root))
    for path, line in _duplicate_keys(root):
        checker.issues.append(PackIssue(file, line, Message(
            "{field}: {problem}", field=_field_name(path),
            problem=Message(N_("the key is written twice; the first value would be lost")))))
    _check_schema(data, checker)
    fits_schema = not checker.issues   # the rules read the data, so they need its shape
    _check_file_name(data, expected_id, checker)
    if fits_schema:
        _check_rules(data, checker)
    if checker.issues:
        raise PackError(checker.sorted_issues())
    pack = _build(data, file)
    for path, message in rules(pack) if rules else ():
        checker.add(path, message)
    if checker.issues:
        raise PackError(checker.sorted_issues())
    return pack


@lru_cache(maxsize=64)
def _parsed_text(text: str, file: str) -> Pack | PackError:
    try:
        return parse_pack(text, file)
    except PackError as error:
        return error.with_traceback(None)  # kept: holding the parse's frames would keep them alive too


def parse_pack_cached(text: str, file: str = "<pack>") -> Pack:
    """:func:`parse_pack`, remembered per text: a course's own pack is parsed once per process."""
    outcome = _parsed_text(text, file)
    if isinstance(outcome, PackError):
        raise outcome.fresh()
    return outcome


def load_pack_file(path: str | os.PathLike, rules=None) -> Pack:
    """Read, parse and check the pack at ``path``, whose file name must be its id (``rules``: see :func:`parse_pack`)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            raise PackError([PackIssue(str(path), 1, _too_big(N_plural(
                "the file is {count} byte; at most {limit} are allowed",
                "the file is {count} bytes; at most {limit} are allowed"), path.stat().st_size))])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError([PackIssue(str(path), 1, unreadable_file(error))]) from None
    return parse_pack(text, str(path), expected_id=path.stem, rules=rules)


def unreadable_file(error: OSError) -> Message:
    """The problem of a pack file that cannot be read (``error``: what the system said)."""
    return Message(N_("cannot read the file: {error}"), error=str(error))
