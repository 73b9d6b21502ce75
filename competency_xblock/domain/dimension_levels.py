"""
A level per dimension, by the same rule as the overall level.

Each scored dimension gets level 1, 2 or 3 from :func:`scoring.level_for`, the one level
function, so whatever makes the overall level exact at a cut makes these exact too.
The cuts are the dimension's own when the pack gives it some (``cut_scores`` on the
dimension), else the assessment's (the block's when set, else the pack's). As for the
overall level, a dimension scored from self-ratings alone gets no level.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from . import scoring
from .pack_model import Dimension


def dimension_cut_scores(dimension: Dimension | None, cut_scores: tuple[float, float]) -> tuple[float, float]:
    """The cuts that grade ``dimension``: its own when the pack sets them, else ``cut_scores``."""
    own = getattr(dimension, "cut_scores", None)
    return tuple(own) if own else tuple(cut_scores)


def dimension_levels(result: scoring.Result, dimensions: Iterable[Dimension],
                     cut_scores: tuple[float, float]) -> dict[str, int | None]:
    """Dimension id -> level 1..3, or None when the dimension was not scored or rests on self-ratings."""
    by_id: Mapping[str, Dimension] = {dimension.id: dimension for dimension in dimensions}
    levels = {}
    for score in result.dimensions:
        if score.percent is None or score.self_rated_only:
            levels[score.id] = None
        else:
            levels[score.id] = scoring.level_for(score.percent, dimension_cut_scores(by_id.get(score.id), cut_scores))
    return levels
