"""
Question overrides authored in Studio: switch pack items off, edit their texts, add items.

Pure: nothing here knows of XBlock or Django. The block keeps the overrides in its
``item_overrides`` field; every key is optional and ``{}`` means "the pack as it is"::

    {"disabled": ["item_id", ...],
     "edited":   {"item_id": {"scene" or "statement": {"en": "...", "pl": "..."},
                              "behaviour": {"en": "..."},
                              "options": {"a": {"en": "..."}}}},
     "added":    [items in the pack's own YAML shape (see content/README.md):
                  {"id", "type": "situational", "dimension", "behaviour", "scene",
                   "options": [{"id", "points": 0..3, "text"}, ...]},
                  {"id", "type": "self_assessment", "dimension", "behaviour", "statement",
                   "reverse": true/false}]}

Edits change texts only, never an answer key; added items bring their own key. Added
items are checked with the pack schema's own item rules, so a Studio item can be
pasted into a pack file and back.
"""
from __future__ import annotations

import json
from dataclasses import replace
from functools import cache

import jsonschema

from . import pack_loader
from .messages import N_, N_plural, Message
from .pack_model import SITUATIONAL, Dimension, Item, Pack

SECTIONS = ("disabled", "edited", "added")
MAX_TEXT_LENGTH = 2000
MAX_ADDED_ITEMS = 100


class OverridesError(ValueError):
    """Overrides that cannot be applied to a pack; ``problems`` lists each one."""

    def __init__(self, problems: list[Message]):
        self.problems = problems
        super().__init__("; ".join(problems))


def prompt_key(item_type: str) -> str:
    """The name of an item's main text in the pack format: a scene or a statement."""
    return "scene" if item_type == SITUATIONAL else "statement"


@cache
def _item_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(pack_loader.SCHEMA_PATH.read_text(encoding="utf-8"))
    item_schema = dict(schema["properties"]["items"]["items"], **{"$defs": schema["$defs"]})
    return jsonschema.Draft202012Validator(item_schema)


def not_an_object() -> Message:
    return Message(N_("must be an object with the keys disabled, edited and added"))


def _at(where, problem: Message) -> Message:
    """``problem`` at a place: "edited.l_scene: must be an object"."""
    return Message(N_("{where}: {problem}"), where=where, problem=problem)


def _path(where, key: str) -> Message:
    """A place inside ``where``: "added question 1.options" (punctuation only: not translated)."""
    return Message("{where}.{key}", where=where, key=key)


def _text_problems(text, where, languages: tuple[str, ...]) -> list[Message]:
    """A localized text: an object of pack languages to non-empty strings of sane length."""
    if not isinstance(text, dict):
        return [_at(where, Message(N_("must be an object of language to text")))]
    problems = []
    for language, value in text.items():
        if language not in languages:
            problems.append(_at(where, Message(N_("language {language!r} is not among the pack's languages "
                                                  "({languages})"), language=language, languages=", ".join(languages))))
        elif not isinstance(value, str) or not value.strip():
            problems.append(_at(_path(where, language), Message(N_("must be a non-empty text"))))
        elif len(value) > MAX_TEXT_LENGTH:
            problems.append(_at(_path(where, language), Message(N_("longer than {limit} characters"),
                                                                limit=MAX_TEXT_LENGTH)))
    return problems


def _disabled_problems(disabled, pack_items: dict) -> list[Message]:
    if not isinstance(disabled, list):
        return [Message(N_("disabled: must be a list of question ids"))]
    problems, seen = [], set()
    for item_id in disabled:
        if not isinstance(item_id, str) or item_id not in pack_items:
            problems.append(Message(N_("disabled: no question {item!r} in the pack"), item=item_id))
        elif item_id in seen:
            problems.append(Message(N_("disabled: question {item!r} is listed twice"), item=item_id))
        else:
            seen.add(item_id)
    return problems


def _edited_problems(edited, pack_items: dict, languages: tuple[str, ...]) -> list[Message]:
    if not isinstance(edited, dict):
        return [Message(N_("edited: must be an object of question id to edited texts"))]
    problems = []
    for item_id, edit in edited.items():
        where = _path("edited", item_id)
        item = pack_items.get(item_id)
        if item is None:
            problems.append(Message(N_("edited: no question {item!r} in the pack"), item=item_id))
            continue
        if not isinstance(edit, dict):
            problems.append(_at(where, Message(N_("must be an object"))))
            continue
        allowed = {prompt_key(item.type), "behaviour", "options"}
        for key in sorted(set(edit) - allowed):
            problems.append(_at(where, Message(N_("{key!r} cannot be edited; texts that can: {allowed}"),
                                               key=key, allowed=", ".join(sorted(allowed)))))
        for key in sorted(allowed & set(edit) - {"options"}):
            problems += _text_problems(edit[key], _path(where, key), languages)
        options = edit.get("options", {})
        if not isinstance(options, dict):
            problems.append(_at(_path(where, "options"), Message(N_("must be an object of option id to text"))))
            continue
        for option_id, text in options.items():
            if item.option(option_id) is None:
                problems.append(_at(_path(where, "options"), Message(N_("question {item!r} has no option {option!r}"),
                                                                     item=item_id, option=option_id)))
            else:
                problems += _text_problems(text, _path(_path(where, "options"), option_id), languages)
    return problems


def _schema_message(error: jsonschema.ValidationError) -> str:
    """The item-shape problem; the pack format's own wording (English, as the pack loader says it) otherwise."""
    if error.validator == "minProperties":
        return Message(N_("needs a text in at least one language"))
    if error.validator == "minItems":
        return Message(N_plural("needs at least {count} entries, has {found}",
                                "needs at least {count} entries, has {found}"),
                       error.validator_value, found=len(error.instance))
    if error.validator == "maxItems":
        return Message(N_plural("needs at most {count} entries, has {found}",
                                "needs at most {count} entries, has {found}"),
                       error.validator_value, found=len(error.instance))
    return pack_loader._schema_message(error)


def _schema_problems(item: dict, where) -> list[Message]:
    # the errors of the shape the item's type names; "fits no shape" only when nothing says more
    leaves = [leaf for error in _item_validator().iter_errors(item) for leaf in pack_loader._leaf_errors(error)]
    if any(leaf.validator != "oneOf" for leaf in leaves):
        leaves = [leaf for leaf in leaves if leaf.validator != "oneOf"]
    problems = []
    for leaf in leaves:
        path = pack_loader._field_name(tuple(leaf.absolute_path))
        problems.append(_at(_path(where, path) if path else where, _schema_message(leaf)))
    return problems


def _added_problems(added, pack: Pack, pack_items: dict) -> list[Message]:
    if not isinstance(added, list):
        return [Message(N_("added: must be a list of questions"))]
    if len(added) > MAX_ADDED_ITEMS:
        return [Message(N_("added: at most {limit} questions can be added"), limit=MAX_ADDED_ITEMS)]
    problems, seen = [], set(pack_items)
    dimension_ids = [dimension.id for dimension in pack.dimensions]
    for index, item in enumerate(added):
        label = item.get("id") if isinstance(item, dict) else None
        where = (Message(N_("added question {number} ({id!r})"), number=index + 1, id=label) if isinstance(label, str)
                 else Message(N_("added question {number}"), number=index + 1))
        if not isinstance(item, dict):
            problems.append(_at(where, Message(N_("must be an object"))))
            continue
        shape = _schema_problems(item, where)
        if shape:
            problems += shape
            continue
        if item["id"] in seen:
            problems.append(_at(where, Message(N_("duplicate question id {id!r}"), id=item["id"])))
        seen.add(item["id"])
        if item["dimension"] not in dimension_ids:
            problems.append(_at(_path(where, "dimension"),
                                Message(N_("unknown dimension {dimension!r}; known: {known}"),
                                        dimension=item["dimension"], known=", ".join(dimension_ids))))
        for key in ("behaviour", prompt_key(item["type"])):
            problems += _text_problems(item[key], _path(where, key), pack.languages)
        if item["type"] == SITUATIONAL:
            options_at = _path(where, "options")
            option_ids = [option["id"] for option in item["options"]]
            for option_id in sorted({o for o in option_ids if option_ids.count(o) > 1}):
                problems.append(_at(options_at, Message(N_("duplicate option id {option!r}"), option=option_id)))
            if max(option["points"] for option in item["options"]) != 3:
                problems.append(_at(options_at, Message(N_("no option is keyed 3 points (the best answer)"))))
            for option in item["options"]:
                problems += _text_problems(option["text"], _path(options_at, option["id"]), pack.languages)
    return problems


def check_overrides(overrides, pack: Pack) -> list[Message]:
    """Every problem that keeps ``overrides`` from applying to ``pack``; [] when they apply."""
    if overrides is None or overrides == {}:
        return []
    if not isinstance(overrides, dict):
        return [not_an_object()]
    problems = [Message(N_("unknown key {key!r}; known: {known}"), key=key, known=", ".join(SECTIONS))
                for key in sorted(set(overrides) - set(SECTIONS))]
    pack_items = {item.id: item for item in pack.items}
    problems += _disabled_problems(overrides.get("disabled", []), pack_items)
    problems += _edited_problems(overrides.get("edited", {}), pack_items, pack.languages)
    problems += _added_problems(overrides.get("added", []), pack, pack_items)
    return problems


def _with_edits(item: Item, edit: dict | None) -> Item:
    if not edit:
        return item
    option_edits = edit.get("options", {})
    return replace(
        item,
        prompt={**item.prompt, **edit.get(prompt_key(item.type), {})},
        behaviour={**item.behaviour, **edit.get("behaviour", {})},
        options=tuple(replace(option, text={**option.text, **option_edits.get(option.id, {})})
                      for option in item.options),
    )


def apply_overrides(pack: Pack, overrides) -> tuple[Item, ...]:
    """The pack's items after ``overrides``: kept ones in pack order, then the added ones.

    Raises :class:`OverridesError` when the overrides do not fit the pack.
    """
    problems = check_overrides(overrides, pack)
    if problems:
        raise OverridesError(problems)
    if not overrides:
        return pack.items
    disabled = set(overrides.get("disabled", ()))
    edited = overrides.get("edited", {})
    kept = [_with_edits(item, edited.get(item.id)) for item in pack.items if item.id not in disabled]
    return tuple(kept) + tuple(pack_loader.build_item(item) for item in overrides.get("added", ()))


def short_dimensions(pack: Pack, items: tuple[Item, ...]) -> list[tuple[Dimension, int]]:
    """Dimensions left with fewer items than the pack needs to score them, with their counts."""
    minimum = pack.scoring.min_items_per_dimension
    counts = {dimension.id: 0 for dimension in pack.dimensions}
    for item in items:
        if item.dimension in counts:
            counts[item.dimension] += 1
    return [(dimension, counts[dimension.id]) for dimension in pack.dimensions if counts[dimension.id] < minimum]


def _trimmed_text(text, original: dict) -> dict | object:
    """A text edit without blank entries and without entries equal to the pack's text."""
    if not isinstance(text, dict):
        return text
    return {language: value for language, value in text.items()
            if not (isinstance(value, str) and (not value.strip() or value == original.get(language)))}


def normalize_overrides(overrides, pack: Pack):
    """Drop what changes nothing (blank or unchanged texts, empty sections) before checking.

    Anything of an unexpected shape is passed through untouched for :func:`check_overrides`
    to report.
    """
    if not isinstance(overrides, dict):
        return overrides
    result = dict(overrides)
    edited = overrides.get("edited")
    if isinstance(edited, dict):
        items = {item.id: item for item in pack.items}
        trimmed = {}
        for item_id, edit in edited.items():
            item = items.get(item_id)
            if item is None or not isinstance(edit, dict):
                trimmed[item_id] = edit
                continue
            originals = {prompt_key(item.type): item.prompt, "behaviour": item.behaviour}
            new_edit = {key: _trimmed_text(value, originals[key]) if key in originals else value
                        for key, value in edit.items() if key != "options"}
            if isinstance(edit.get("options"), dict):
                options = {option_id: _trimmed_text(text, item.option(option_id).text if item.option(option_id) else {})
                           for option_id, text in edit["options"].items()}
                new_edit["options"] = {key: value for key, value in options.items() if value != {}}
            elif "options" in edit:
                new_edit["options"] = edit["options"]
            new_edit = {key: value for key, value in new_edit.items() if value != {}}
            if new_edit:
                trimmed[item_id] = new_edit
        result["edited"] = trimmed
    return {key: value for key, value in result.items() if value not in ([], {})}
