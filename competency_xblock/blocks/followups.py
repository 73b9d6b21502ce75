"""
Follow-up lessons: which levels open a level gate, and where a link to a lesson points.

Plain data in, plain data out; nothing here knows of XBlock. The blocks work out
*where* they run (Open edX course or the SDK workbench) and pass it in:

- in the LMS a lesson is reached through ``/courses/<course id>/jump_to_id/<block id>``,
  the platform's own redirect to the unit that holds a block;
- in the workbench every block of a scenario is on one page, so an in-page anchor
  (``#<element id>``) reaches it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

LEVELS = (1, 2, 3)

_UNSAFE_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")
_ANCHOR = re.compile(r"^#[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Lesson:
    """A gated lesson as the result view lists it."""

    title: str
    levels: tuple[int, ...]
    url: str
    dimension: str = ""             # "": the overall level opens it; else this dimension's level
    children: tuple = ()            # the gate's child usage ids: what "completing the lesson" means


def clean_levels(value) -> tuple[tuple[int, ...], list]:
    """
    ``(levels, rejected)``: the levels 1..3 named in ``value``, sorted and unique, and the
    entries that are not a level. Whole numbers and their digit strings count ("2" is 2);
    ``value`` that is not a list is rejected whole.
    """
    if not isinstance(value, (list, tuple)):
        return (), [value]
    levels, rejected = set(), []
    for entry in value:
        number = entry
        if isinstance(entry, str) and entry.strip().isdigit():
            number = int(entry.strip())
        # bool is an int subclass; True is not "level 1"
        if isinstance(number, int) and not isinstance(number, bool) and number in LEVELS:
            levels.add(number)
        else:
            rejected.append(entry)
    return tuple(sorted(levels)), rejected


def element_id(prefix: str, usage_id) -> str:
    """An HTML id for a block's element, made of the usage id's letters, digits, ``-`` and ``_``."""
    return f"{prefix}-{_UNSAFE_ID_CHARACTERS.sub('-', str(usage_id)).strip('-')}"


def lesson_url(anchor: str, course_id: str | None = None, block_id: str | None = None) -> str:
    """The LMS ``jump_to_id`` URL when the block is in a course, else the in-page ``#anchor``."""
    if course_id and block_id:
        return f"/courses/{quote(str(course_id), safe=':+')}/jump_to_id/{quote(str(block_id), safe='')}"
    return f"#{anchor}"


def is_in_page_anchor(url) -> bool:
    """True for ``#some-id`` (what ``lesson_url`` makes in the workbench)."""
    return isinstance(url, str) and bool(_ANCHOR.match(url))


def open_lessons(lessons, level: int | None) -> list[dict]:
    """The lessons ``level`` opens, in the given order, as ``{"title", "url"}`` for the result view."""
    if level is None:
        return []
    return [{"title": lesson.title, "url": lesson.url} for lesson in lessons if level in lesson.levels]


def join_levels(levels, or_word: str = "or") -> str:
    """``(1, 2, 3)`` -> ``"1, 2 or 3"``; ``or_word`` comes translated from the caller."""
    names = [str(level) for level in levels]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {or_word} {names[-1]}"


def open_dimension_lessons(lessons, dimension_levels: dict) -> list:
    """The per-dimension lessons (``lesson.dimension`` set) that the learner's dimension levels open."""
    return [lesson for lesson in lessons
            if lesson.dimension and dimension_levels.get(lesson.dimension) in lesson.levels]
