"""
The result's "closing the loop" parts: levels per dimension, lessons for the areas to work
on, the self-view against the situations, growth since the first attempt, and the
invitation to retake. The figures come from the pure ``domain`` modules; this module
gathers what the block knows (its settings, attempts, gates, the completion service)
into template data.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ..domain import authoring, growth, reassessment, self_view
from ..domain.charts import bar_chart
from ..domain.pack_model import Pack, localize
from ..domain.scoring import Result
from . import followups
from .presenters import _lesson_href


def _name(pack: Pack, dimension_id: str, language: str) -> str:
    dimension = pack.dimension(dimension_id)
    return localize(dimension.name, language, pack.default_language) if dimension else dimension_id


def area_lessons(block, pack: Pack, result: Result, language: str, gates, dimension_levels: dict) -> list[dict]:
    """Per dimension, weakest first, the lessons its level opens (settings and gates), with safe links."""
    by_dimension: dict[str, list[dict]] = {}
    for dimension_id, lessons in authoring.usable_dimension_follow_ups(block.dimension_follow_ups,
                                                                      dimension_levels).items():
        by_dimension.setdefault(dimension_id, []).extend(lessons)
    for lesson in followups.open_dimension_lessons(gates, dimension_levels):
        by_dimension.setdefault(lesson.dimension, []).append({"title": lesson.title, "url": lesson.url})
    percents = {d.id: d.percent if d.percent is not None else 101 for d in result.dimensions}
    areas = []
    for dimension_id in sorted(by_dimension, key=lambda key: (percents.get(key, 101), key)):
        lessons = [{"title": lesson["title"], "url": _lesson_href(lesson.get("url", ""))}
                   for lesson in by_dimension[dimension_id] if _lesson_href(lesson.get("url", ""))]
        if lessons:
            areas.append({"id": dimension_id, "name": _name(pack, dimension_id, language),
                          "level": dimension_levels.get(dimension_id), "lessons": lessons})
    return areas


def self_view_rows(block, pack: Pack, result: Result, language: str) -> list[dict]:
    """Per dimension with a gap: its name, the gap in signed points, and what the gap says, worded."""
    readings = {
        self_view.HIGHER: block.ugettext("You rate yourself higher than your answers to the situations suggest."),
        self_view.LOWER: block.ugettext("You rate yourself lower than your answers to the situations suggest."),
        self_view.ALIGNED: block.ugettext("Your self-view matches the situations."),
    }
    rows = []
    for dimension_id, gap in self_view.gaps(result).items():
        if gap is not None:
            reading, points = self_view.reading(gap), round(gap)
            rows.append({"name": _name(pack, dimension_id, language), "gap": f"{points:+d}" if points else "0",
                         "reading": reading, "reading_text": readings[reading]})
    return rows


def growth_context(block, pack: Pack, language: str) -> dict:
    """The change per dimension since the first attempt (both rescored), with a two-bar chart; no rows below two."""
    if len(block.results) < 2:
        # an empty list, not a missing key: Django logs a traceback for every missing variable it looks up
        return {"growth": []}
    first = block.rescored(pack, block.results[0])["dimensions"]
    latest = block.rescored(pack, block.results[-1])["dimensions"]
    changes = growth.learner_changes(first, latest)
    latest_label = block.ugettext("latest attempt")
    rows, chart_rows, fractions = [], [], []
    for dimension in pack.dimensions:
        if dimension.id not in first:
            continue
        name = _name(pack, dimension.id, language)
        before, now, change = first.get(dimension.id), latest.get(dimension.id), changes.get(dimension.id)
        rows.append({"name": name, "first": None if before is None else round(before),
                     "latest": None if now is None else round(now),
                     "change": None if change is None else round(change)})
        # two bars per dimension: the first attempt's (named by the dimension), then the latest's
        for key, label, value in (("first", name, before), ("latest", latest_label, now)):
            chart_rows.append({"name": label, "key": key, "value": "–" if value is None else f"{round(value)}%"})
            fractions.append((value or 0) / 100)
    return {"growth": rows, "growth_chart": bar_chart(chart_rows, fractions, label_width=210, value_room=60),
            "growth_attempts": len(block.results)}


def opened_lessons_completed(block, gates, level, dimension_levels: dict) -> bool | None:
    """
    True when every block inside the gates opened for the learner is complete, as the
    runtime's ``completion`` service reports (edx-completion's ``CompletionService.
    get_completions``: usage key -> 0.0..1.0, 0.0 when unknown). None where there is no
    service, tracking is off, or no gate is open: then only the wait invites a retake.
    """
    service = block.runtime.service(block, "completion")
    if service is None or not service.completion_tracking_enabled():
        return None
    opened = [lesson for lesson in gates if (lesson.dimension and dimension_levels.get(lesson.dimension)
                                             in lesson.levels) or (not lesson.dimension and level in lesson.levels)]
    candidates = [child for lesson in opened for child in lesson.children]
    if not candidates:
        return None
    completions = service.get_completions(candidates)
    return all(completions.get(candidate, 0.0) >= 1.0 for candidate in candidates)


def loop_context(block, pack: Pack, result: Result, language: str, gates, counted_level,
                 dimension_levels: dict, dimensions: list[dict]) -> dict:
    """Template data of the loop parts; ``dimensions`` (the result's rows) gain their level."""
    now = datetime.now(timezone.utc)
    opens_at = block.retake_opens_at()
    waiting = reassessment.must_wait(opens_at, now)
    attempts_left = block.attempts_left()
    invitation = reassessment.invitation(
        opens_at, now, None if waiting or attempts_left == 0 else
        opened_lessons_completed(block, gates, counted_level, dimension_levels), attempts_left)
    own_levels = block.dimension_levels_of(pack, result)   # of the attempt shown
    return {
        "dimensions": [{**row, "level": own_levels.get(row["id"])} for row in dimensions],
        "area_lessons": area_lessons(block, pack, result, language, gates, dimension_levels),
        "self_view": self_view_rows(block, pack, result, language),
        "self_view_threshold": round(self_view.GAP_THRESHOLD),
        "retake_invitation": invitation,
        "retake_opens_at": opens_at.strftime("%Y-%m-%d %H:%M") if waiting else "",
        **growth_context(block, pack, language),
    }


# ----- staff -------------------------------------------------------------------------------------

def _fixed(value, places: int = 1) -> str:
    """A signed figure with ``places`` decimals; "" for None."""
    return "" if value is None else f"{value:+.{places}f}"


def staff_loop_context(report: dict, pack: Pack, language: str) -> dict:
    """The staff view's loop figures: growth with intervals, mean self-view gaps, managers' tips."""
    figures = report.get("loop") or {}
    growth_rows = [{"name": _name(pack, dimension_id, language), "n": row["n"],
                    "mean": _fixed(row["mean"]), "low": _fixed(row["low"]), "high": _fixed(row["high"])}
                   for dimension_id, row in (figures.get("growth") or {}).items()]
    gap_rows = [{"name": _name(pack, dimension_id, language), "n": row["n"], "mean": _fixed(row["mean"])}
                for dimension_id, row in (figures.get("self_gaps") or {}).items()]
    tips = []
    for dimension_id in growth.weakest(report.get("dimension_means") or {}):
        dimension = pack.dimension(dimension_id)
        texts = (dimension.manager_tips.get(language) or dimension.manager_tips.get(pack.default_language)
                 or ()) if dimension else ()
        if texts:
            tips.append({"name": _name(pack, dimension_id, language), "tips": list(texts)})
    return {"growth_rows": growth_rows, "growth_learners": max([row["n"] for row in growth_rows] + [0]),
            "gap_rows": gap_rows, "gap_threshold": round(self_view.GAP_THRESHOLD), "manager_tips": tips}


def report_change_columns(pack: Pack, language: str, gettext) -> list[tuple[str, str]]:
    """(dimension id, column name) of the report rows' change since the first attempt."""
    return [(dimension.id, gettext("{dimension}: change since the first attempt (points)").format(
        dimension=localize(dimension.name, language, pack.default_language))) for dimension in pack.dimensions]


def report_changes(columns: list[tuple[str, str]], records: list) -> dict:
    """The report row's change columns: latest minus first stored attempt, one decimal; "" with one attempt."""
    changes = growth.learner_changes(records[0].get("dimensions"), records[-1].get("dimensions")) \
        if len(records) > 1 and isinstance(records[0], dict) and isinstance(records[-1], dict) else {}
    return {name: "" if changes.get(dimension_id) is None else round(changes[dimension_id], 1)
            for dimension_id, name in columns}
