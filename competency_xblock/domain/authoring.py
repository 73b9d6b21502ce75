"""
What a course author may set on an assessment, and how the learner views read it.

Pure: nothing here knows of XBlock or Django. ``check_settings`` takes the settings as
a plain mapping (field name to value) and the pack they name, and returns every
problem as a :class:`Problem` naming the field; Studio's save refuses on any error,
and ``validate()`` shows them all. The ``usable_*`` readers are for the learner views:
whatever an imported course holds, they return only entries that are safe to show.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit

from . import chance, pack_rules
from . import overrides as item_overrides
from .pack_model import LEVELS, Pack

ERROR = "error"
WARNING = "warning"
LINK_KINDS = ("institution", "training", "page")
DEFAULT_LINK_KIND = "training"

MAX_ATTEMPTS = 100
MAX_WEIGHT = 100.0
MAX_SELF_ASSESSMENT_WEIGHT = 0.5
MAX_TITLE_LENGTH = 200
MAX_NAME_LENGTH = 200
MAX_INTRO_LENGTH = 5000
MAX_URL_LENGTH = 2000
MAX_LINKS = 50
MAX_WAIT_DAYS = 365
_CONTROL_OR_SPACE = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    severity: str = ERROR


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def is_http_url(url) -> bool:
    """An absolute http(s) URL with a host and no spaces or control characters."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH or _CONTROL_OR_SPACE.search(url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_site_path(url) -> bool:
    """A path on this site, such as /courses/... or /jump_to_id/... (not //host/...)."""
    return (isinstance(url, str) and url.startswith("/") and not url.startswith("//")
            and len(url) <= MAX_URL_LENGTH and not _CONTROL_OR_SPACE.search(url) and "\\" not in url)


def _title_problem(title) -> str | None:
    if not isinstance(title, str) or not title.strip():
        return "needs a title"
    if len(title) > MAX_TITLE_LENGTH:
        return f"the title is longer than {MAX_TITLE_LENGTH} characters"
    return None


def follow_up_problems(value) -> list[str]:
    """Follow-ups: {"1"|"2"|"3": [{"title", "url"}]}; a URL is http(s) or a path on this site."""
    if not isinstance(value, dict):
        return ['must be an object of level ("1", "2", "3") to a list of lessons']
    problems = []
    for level, lessons in value.items():
        if level not in [str(number) for number in LEVELS]:
            problems.append(f"{level!r} is not a level; use 1, 2 or 3")
            continue
        if not isinstance(lessons, list):
            problems.append(f"level {level}: must be a list of lessons")
            continue
        if len(lessons) > MAX_LINKS:
            problems.append(f"level {level}: at most {MAX_LINKS} lessons")
        for number, lesson in enumerate(lessons, start=1):
            where = f"level {level}, lesson {number}"
            if not isinstance(lesson, dict) or set(lesson) - {"title", "url"}:
                problems.append(f"{where}: must be an object with a title and a url")
                continue
            title_problem = _title_problem(lesson.get("title"))
            if title_problem:
                problems.append(f"{where}: {title_problem}")
            url = lesson.get("url")
            if not (is_http_url(url) or is_site_path(url)):
                problems.append(f"{where}: {url!r} is not an http(s) link or a path on this site (/...)")
    return problems


def dimension_follow_up_problems(value, dimension_ids=None) -> list[str]:
    """
    Lessons per dimension and level: {dimension id: {"1"|"2"|"3": [{"title", "url"}]}}.
    Each dimension must be one of ``dimension_ids`` (when given) and name at least one level.
    """
    if not isinstance(value, dict):
        return ['must be an object of dimension id to {level: [lessons]}']
    problems = []
    for dimension, by_level in value.items():
        if dimension_ids is not None and dimension not in dimension_ids:
            problems.append(f"{dimension!r} is not a dimension of the pack; known: {', '.join(dimension_ids)}")
            continue
        if not isinstance(by_level, dict) or not by_level:
            problems.append(f"dimension {dimension!r}: choose at least one level (1, 2 or 3) with its lessons")
            continue
        if "" in by_level:
            problems.append(f"dimension {dimension!r}: choose the level (1, 2 or 3) that opens each lesson")
            by_level = {level: lessons for level, lessons in by_level.items() if level != ""}
        problems += [f"dimension {dimension!r}, {problem}" for problem in follow_up_problems(by_level)]
        if not any(isinstance(lessons, list) and lessons for lessons in by_level.values()):
            problems.append(f"dimension {dimension!r}: give at least one lesson for a level")
    return problems


def extra_link_problems(value) -> list[str]:
    """Extra links: [{"levels": [1..3], "title", "url": http(s), "kind"?}]."""
    if not isinstance(value, list):
        return ["must be a list of links"]
    if len(value) > MAX_LINKS:
        return [f"at most {MAX_LINKS} links"]
    problems = []
    for number, link in enumerate(value, start=1):
        where = f"link {number}"
        if not isinstance(link, dict) or set(link) - {"levels", "title", "url", "kind"}:
            problems.append(f"{where}: must be an object with levels, title, url and an optional kind")
            continue
        levels = link.get("levels")
        if (not isinstance(levels, list) or not levels
                or not all(isinstance(level, int) and not isinstance(level, bool) and level in LEVELS
                           for level in levels) or len(set(levels)) != len(levels)):
            problems.append(f"{where}: levels must list some of 1, 2 and 3, each once")
        title_problem = _title_problem(link.get("title"))
        if title_problem:
            problems.append(f"{where}: {title_problem}")
        if not is_http_url(link.get("url")):
            problems.append(f"{where}: {link.get('url')!r} is not an http(s) link")
        if link.get("kind", DEFAULT_LINK_KIND) not in LINK_KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(LINK_KINDS)}")
    return problems


def cut_score_problems(value) -> list[str]:
    """Cut scores: [] (the pack's) or [C1, C2] with 0 <= C1 < C2 <= 100."""
    if value == []:
        return []
    if not isinstance(value, list) or len(value) != 2:
        return ["give two numbers, C1 and C2, or none to use the pack's"]
    if not all(is_number(cut) for cut in value):
        return ["both cut scores must be numbers"]
    if not all(0 <= cut <= 100 for cut in value):
        return ["cut scores must lie between 0 and 100"]
    if not value[0] < value[1]:
        return [f"C1 must be lower than C2 (got {value[0]:g} and {value[1]:g})"]
    return []


def _simple_problems(settings: Mapping, choices: Mapping[str, tuple]) -> list[Problem]:
    problems = []
    name = settings.get("display_name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_LENGTH:
        problems.append(Problem("display_name", f"must be a text of 1 to {MAX_NAME_LENGTH} characters"))
    intro = settings.get("intro")
    if not isinstance(intro, str) or len(intro) > MAX_INTRO_LENGTH:
        problems.append(Problem("intro", f"must be a text of at most {MAX_INTRO_LENGTH} characters"))
    attempts = settings.get("max_attempts")
    if not isinstance(attempts, int) or isinstance(attempts, bool) or not 0 <= attempts <= MAX_ATTEMPTS:
        problems.append(Problem("max_attempts", f"must be a whole number from 0 (no limit) to {MAX_ATTEMPTS}"))
    weight = settings.get("weight")
    if not is_number(weight) or not 0 <= weight <= MAX_WEIGHT:
        problems.append(Problem("weight", f"must be a number from 0 to {MAX_WEIGHT:g}"))
    self_weight = settings.get("self_assessment_weight")
    if self_weight is not None and (not is_number(self_weight) or not 0 <= self_weight <= MAX_SELF_ASSESSMENT_WEIGHT):
        problems.append(Problem("self_assessment_weight",
                                f"must be a number from 0 to {MAX_SELF_ASSESSMENT_WEIGHT:g}, or empty for the pack's"))
    language = settings.get("content_language")
    if not isinstance(language, str) or len(language) > 16:
        problems.append(Problem("content_language", "must be a language code, or empty to follow the learner"))
    if not isinstance(settings.get("item_overrides"), dict):
        problems.append(Problem("item_overrides", "must be an object with the keys disabled, edited and added"))
    for field, allowed in choices.items():
        if settings.get(field) not in allowed:
            problems.append(Problem(field, f"must be one of: {', '.join(allowed)}"))
    problems += [Problem("cut_scores", message) for message in cut_score_problems(settings.get("cut_scores"))]
    problems += [Problem("follow_up_lessons", m) for m in follow_up_problems(settings.get("follow_up_lessons"))]
    problems += [Problem("extra_links", m) for m in extra_link_problems(settings.get("extra_links"))]
    if "retake_wait_days" in settings:
        wait = settings.get("retake_wait_days")
        if not isinstance(wait, int) or isinstance(wait, bool) or not 0 <= wait <= MAX_WAIT_DAYS:
            problems.append(Problem("retake_wait_days", f"must be a whole number of days from 0 (no wait) "
                                    f"to {MAX_WAIT_DAYS}"))
    return problems


def check_settings(settings: Mapping, pack: Pack | None, choices: Mapping[str, tuple]) -> list[Problem]:
    """Every problem with ``settings``; the pack checks are skipped when ``pack`` is None.

    ``choices`` maps the fields that take one of a fixed set of values to that set.
    """
    problems = _simple_problems(settings, choices)
    if "dimension_follow_ups" in settings:
        dimension_ids = [dimension.id for dimension in pack.dimensions] if pack else None
        problems += [Problem("dimension_follow_ups", message) for message in
                     dimension_follow_up_problems(settings["dimension_follow_ups"], dimension_ids)]
    if pack is None:
        return problems
    language = settings.get("content_language")
    if isinstance(language, str) and language not in ("",) + tuple(pack.languages):
        problems.append(Problem("content_language", f"{language!r} is not one of the pack's languages "
                                f"({', '.join(pack.languages)}); leave it empty to follow the learner"))
    overrides = settings.get("item_overrides")
    if not isinstance(overrides, dict):   # reported above
        return problems
    override_problems = item_overrides.check_overrides(overrides, pack)
    problems += [Problem("item_overrides", message) for message in override_problems]
    if not override_problems:
        items = item_overrides.apply_overrides(pack, overrides)
        minimum = pack.scoring.min_situational_per_dimension
        for _, dimension_id, count in pack_rules.situational_shortfalls(pack, items):
            problems.append(Problem("item_overrides", pack_rules.shortfall_message(dimension_id, count, minimum)))
        problems += chance_problems(settings, pack, items)
        for dimension, count in item_overrides.short_dimensions(pack, items):
            problems.append(Problem(
                "item_overrides", f"dimension {dimension.id!r} has {count} question(s), fewer than the "
                f"{pack.scoring.min_items_per_dimension} needed to score it; it will show as not scored", WARNING))
    return problems


def chance_for_settings(settings: Mapping, pack: Pack, items) -> chance.ChanceFigures | None:
    """The chance figures of the settings' cut scores and self-assessment weight (or the pack's)."""
    cuts = settings.get("cut_scores") or pack.scoring.cut_scores
    self_weight = settings.get("self_assessment_weight")
    return chance.pack_chance(pack, cuts, pack.scoring.self_assessment_weight if self_weight is None else self_weight,
                              items)


def chance_problems(settings: Mapping, pack: Pack, items) -> list[Problem]:
    """Cut scores (own or the pack's) that random answering reaches at level 2 too often."""
    self_weight = settings.get("self_assessment_weight")
    if cut_score_problems(settings.get("cut_scores")) or (
            self_weight is not None and not (is_number(self_weight) and 0 <= self_weight <= MAX_SELF_ASSESSMENT_WEIGHT)):
        return []   # reported as such
    figures = chance_for_settings(settings, pack, items)
    if figures is None or figures.fair:
        return []
    if not settings.get("cut_scores"):
        # The pack's own cuts: when the pack itself breaks the rule (``validate`` refuses it),
        # the block cannot be blamed for it; only settings that break a fair pack are refused.
        own = chance.pack_chance(pack)
        if own is not None and not own.fair:
            return [Problem("cut_scores", chance.unfair_message(figures) + " (the pack's own cut scores)", WARNING)]
    return [Problem("cut_scores", chance.unfair_message(figures))]


def usable_follow_ups(value, level: int | None) -> list[dict]:
    """The follow-up lessons for ``level`` that can be shown: titled, with a safe URL."""
    lessons = value.get(str(level), []) if isinstance(value, dict) and level else []
    if not isinstance(lessons, list):
        return []
    return [{"title": lesson["title"], "url": lesson["url"]} for lesson in lessons
            if isinstance(lesson, dict) and not _title_problem(lesson.get("title"))
            and (is_http_url(lesson.get("url")) or is_site_path(lesson.get("url")))]


def usable_extra_links(value, level: int | None) -> list[dict]:
    """The extra links for ``level`` that can be shown: titled, http(s), of a known kind."""
    if not isinstance(value, list) or not level:
        return []
    return [{"kind": link.get("kind", DEFAULT_LINK_KIND), "title": link["title"], "url": link["url"]}
            for link in value
            if isinstance(link, dict) and isinstance(link.get("levels"), list) and level in link["levels"]
            and not _title_problem(link.get("title")) and is_http_url(link.get("url"))
            and link.get("kind", DEFAULT_LINK_KIND) in LINK_KINDS]


def usable_dimension_follow_ups(value, dimension_levels) -> dict[str, list[dict]]:
    """Dimension id -> the lessons its level (of ``dimension_levels``) opens that can be shown."""
    if not isinstance(value, dict) or not isinstance(dimension_levels, dict):
        return {}
    found = {}
    for dimension, by_level in value.items():
        lessons = usable_follow_ups(by_level, dimension_levels.get(dimension))
        if lessons:
            found[dimension] = lessons
    return found
