"""
What random answering scores: the chance figures behind the cut-score rule.

*Random answering* answers every question, picking a situational option uniformly
at random and a self-rating uniformly from 1..5. With every question answered the
overall score is linear in the items' points (``scoring.item_shares``), so its
distribution is the convolution of the per-item point distributions. It is worked
out **exactly**: each item's possible contributions are turned into whole numbers
over one common denominator (the pack's weights are read as the decimals they are
written as, 0.3 = 3/10) and convolved as counts of answer sets. Only when that
would hold more than MAX_SUPPORT distinct scores (many unusual weights) does it
fall back to a seeded simulation of SIMULATED_SETS answer sets; ``method`` says which.

The rule: random answering may reach level 2 in at most MAX_CHANCE_LEVEL_2 of cases.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Iterable

from .pack_model import SCALE_MAX, SCALE_MIN, Dimension, Item
from .scoring import ItemScore, item_shares

MAX_CHANCE_LEVEL_2 = Fraction(5, 100)
MAX_SUPPORT = 200_000
SIMULATED_SETS = 20_000
SEED = 13
EXACT = "exact"
SIMULATION = "simulation"


def exact(value) -> Fraction:
    """A pack or Studio figure as the decimal it was written as: 0.3 -> 3/10, not the float's binary value."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True)
class ChanceFigures:
    """Random answering against one pair of cut scores (shares are 0..1)."""
    expected: float            # the mean score of random answering, in percent
    level_2_or_3: float        # share of random answer sets reaching level 2 or 3
    level_3: float             # share reaching level 3
    lowest_fair_c1: float | None   # the lowest C1 that random answering reaches in at most 5 %
    method: str                # EXACT or SIMULATION

    @property
    def fair(self) -> bool:
        return self.level_2_or_3 <= MAX_CHANCE_LEVEL_2


class _Distribution:
    """Scores of random answer sets as integers over ``scale`` with their counts (or draws)."""

    def __init__(self, counts: dict[int, int], scale: int, method: str, expected: Fraction):
        self.scale = scale
        self.method = method
        self.expected = expected
        self.values = sorted(counts)
        self.total = sum(counts.values())
        # at_least[k]: how many answer sets score values[k] or more
        self.at_least, running = [0] * len(self.values), 0
        for index in range(len(self.values) - 1, -1, -1):
            running += counts[self.values[index]]
            self.at_least[index] = running

    def share_at_least(self, cut: Fraction) -> Fraction:
        threshold = math.ceil(cut * self.scale)
        index = _first_at_least(self.values, threshold)
        return Fraction(self.at_least[index], self.total) if index < len(self.values) else Fraction(0)

    def lowest_fair_cut(self) -> Fraction | None:
        """The lowest score reached by at most MAX_CHANCE_LEVEL_2 of random answer sets."""
        for value, count in zip(self.values, self.at_least):
            if Fraction(count, self.total) <= MAX_CHANCE_LEVEL_2:
                return Fraction(value, self.scale)
        return None


def _first_at_least(values: list[int], threshold: int) -> int:
    low, high = 0, len(values)
    while low < high:
        middle = (low + high) // 2
        if values[middle] < threshold:
            low = middle + 1
        else:
            high = middle
    return low


def _point_choices(item: Item) -> list[int]:
    """The points random answering can earn on ``item``, one entry per equally likely answer."""
    if item.is_situational:
        return [option.points for option in item.options]
    return [value - SCALE_MIN for value in range(SCALE_MIN, SCALE_MAX + 1)]   # reversed: the same set


def _contributions(items: tuple[Item, ...], dimensions: tuple[Dimension, ...], self_weight,
                   min_items: int) -> tuple[tuple[Fraction, ...], ...]:
    """Per item, the exact score (in percent) each equally likely random answer adds."""
    answered = [ItemScore(item.id, item.dimension, item.is_situational, 0, item.max_points, item.weight)
                for item in items]   # every question answered; the shares do not depend on the points
    shares = item_shares(answered, dimensions, self_weight, min_items, number=exact)
    return tuple(tuple(100 * shares[item.id] * points / item.max_points for points in _point_choices(item))
                 for item in items if shares.get(item.id))


@lru_cache(maxsize=64)
def _distribution(contributions: tuple[tuple[Fraction, ...], ...]) -> _Distribution:
    expected = sum((sum(choices) / len(choices) for choices in contributions), Fraction(0))
    scale = math.lcm(*(value.denominator for choices in contributions for value in choices)) if contributions else 1
    counts = {0: 1}
    for choices in contributions:
        steps = [int(value * scale) for value in choices]
        if len(counts) * len(set(steps)) > MAX_SUPPORT:
            return _simulated(contributions, scale, expected)
        following: dict[int, int] = {}
        for total, count in counts.items():
            for step in steps:
                following[total + step] = following.get(total + step, 0) + count
        counts = following
    return _Distribution(counts, scale, EXACT, expected)


def _simulated(contributions, scale: int, expected: Fraction) -> _Distribution:
    generator = random.Random(SEED)
    integer_choices = [[int(value * scale) for value in choices] for choices in contributions]
    counts: dict[int, int] = {}
    for _ in range(SIMULATED_SETS):
        total = sum(generator.choice(choices) for choices in integer_choices)
        counts[total] = counts.get(total, 0) + 1
    return _Distribution(counts, scale, SIMULATION, expected)


def chance_figures(items: Iterable[Item], dimensions: Iterable[Dimension], cut_scores, self_weight,
                   min_items: int) -> ChanceFigures | None:
    """The chance figures of random answering over ``items``; None when no level can be given."""
    items, dimensions = tuple(items), tuple(dimensions)
    contributions = _contributions(items, dimensions, self_weight, min_items)
    if not any(item.is_situational for item in items) or not contributions:
        return None
    distribution = _distribution(contributions)
    low, high = (exact(cut) for cut in cut_scores)
    lowest = distribution.lowest_fair_cut()
    return ChanceFigures(
        expected=float(distribution.expected),
        level_2_or_3=float(distribution.share_at_least(low)),
        level_3=float(distribution.share_at_least(high)),
        lowest_fair_c1=None if lowest is None else float(lowest),
        method=distribution.method,
    )


def pack_chance(pack, cut_scores=None, self_weight=None, items=None) -> ChanceFigures | None:
    """:func:`chance_figures` for a pack, by default with its own cuts, weight and items."""
    rules = pack.scoring
    return chance_figures(pack.items if items is None else items, pack.dimensions,
                          rules.cut_scores if cut_scores is None else cut_scores,
                          rules.self_assessment_weight if self_weight is None else self_weight,
                          rules.min_items_per_dimension)


def percent(share: float) -> str:
    """A share as the percentage the messages show: "4.2", "0.03", "<0.0001" or "0"."""
    value = 100 * share
    if value == 0:
        return "0"
    if value < 0.0001:
        return "<0.0001"
    if value < 0.1:
        return f"{value:.2g}"
    return f"{value:.1f}"


def unfair_message(figures: ChanceFigures) -> str:
    """Why cut scores break the chance rule, with the lowest C1 that would keep it."""
    limit = f"{float(MAX_CHANCE_LEVEL_2) * 100:g}"
    message = (f"random answering reaches level 2 in {percent(figures.level_2_or_3)} % of cases, "
               f"more than the {limit} % allowed")
    if figures.lowest_fair_c1 is not None:
        message += f"; raise C1 to at least {math.ceil(figures.lowest_fair_c1 * 10) / 10:g}"
    return message
