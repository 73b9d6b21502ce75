"""
Rules that keep a pack's levels trustworthy, checked by ``competency-xblock validate``.

* **Chance**: random answering (see ``chance``) may reach level 2 in at most 5 % of
  cases with the pack's cut scores (or the cut scores given to ``validate``).
* **No self-rated-only dimension**: every dimension has at least the pack's
  ``min_situational_per_dimension`` situational questions. Studio applies the same
  rule to the questions left after its overrides (:func:`situational_shortfalls`).

Each rule returns findings as (path in the pack's YAML, message); the loader turns the
path into a line.
"""
from __future__ import annotations

from typing import Iterable

from . import chance
from .pack_model import Item, Pack

Finding = tuple[tuple, str]


def situational_shortfalls(pack: Pack, items: Iterable[Item]) -> list[tuple[int, str, int]]:
    """(index, id, count) of each dimension with fewer situational questions than the pack's minimum."""
    counts = {dimension.id: 0 for dimension in pack.dimensions}
    for item in items:
        if item.is_situational and item.dimension in counts:
            counts[item.dimension] += 1
    minimum = pack.scoring.min_situational_per_dimension
    return [(index, dimension.id, counts[dimension.id]) for index, dimension in enumerate(pack.dimensions)
            if counts[dimension.id] < minimum]


def shortfall_message(dimension_id: str, count: int, minimum: int) -> str:
    return (f"dimension {dimension_id!r} has {count} situational question(s), fewer than the "
            f"{minimum} it needs; it would be scored from self-ratings alone")


def situational_findings(pack: Pack) -> list[Finding]:
    minimum = pack.scoring.min_situational_per_dimension
    return [(("dimensions", index), shortfall_message(dimension_id, count, minimum))
            for index, dimension_id, count in situational_shortfalls(pack, pack.items)]


def chance_findings(pack: Pack, cut_scores=None) -> list[Finding]:
    figures = chance.pack_chance(pack, cut_scores)
    if figures is None or figures.fair:
        return []
    given = "" if cut_scores is None else f"the given cut scores {cut_scores[0]:g} and {cut_scores[1]:g}: "
    return [(("scoring", "cut_scores"), given + chance.unfair_message(figures))]


def findings(pack: Pack, cut_scores=None) -> list[Finding]:
    """Every finding of the rules above for ``pack``."""
    return situational_findings(pack) + chance_findings(pack, cut_scores)


def chance_summary(pack: Pack, cut_scores=None) -> str:
    """One line for ``validate``: the expected chance score and how often chance reaches each level."""
    figures = chance.pack_chance(pack, cut_scores)
    if figures is None:
        return "random answering: no level (no situational questions)"
    cuts = list(pack.scoring.cut_scores if cut_scores is None else cut_scores)
    fair_from = "" if figures.lowest_fair_c1 is None else f"; C1 from {figures.lowest_fair_c1:.2f} keeps it within 5 %"
    return (f"random answering ({figures.method}): mean score {figures.expected:.2f}; with cut scores {cuts} "
            f"it reaches level 2 or 3 in {chance.percent(figures.level_2_or_3)} % and level 3 in "
            f"{chance.percent(figures.level_3)} % of cases{fair_from}")
