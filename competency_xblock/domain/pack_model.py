"""
The content pack model: plain, immutable data with no knowledge of XBlock.

A pack describes one competency: its dimensions, levels, items and links, each
text given in every language the pack declares. ``pack_loader`` builds these
objects from YAML; ``scoring`` reads them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping

SITUATIONAL = "situational"
SELF_ASSESSMENT = "self_assessment"

# Self-assessment answers are values on a 1..5 scale, scored as 0..4 points.
SCALE_MIN = 1
SCALE_MAX = 5
LEVELS = (1, 2, 3)

Localized = Mapping[str, str]


def localize(text: Localized, language: str, fallback: str) -> str:
    """Return ``text`` in ``language``, else in ``fallback``, else any language."""
    if language in text:
        return text[language]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()), "")


@dataclass(frozen=True)
class Option:
    id: str
    points: int
    text: Localized


@dataclass(frozen=True)
class Item:
    """One question: a situational scene with keyed options, or a self-rating."""
    id: str
    type: str
    dimension: str
    behaviour: Localized
    prompt: Localized            # the scene, or the self-assessment statement
    weight: float = 1.0
    options: tuple[Option, ...] = ()
    reverse: bool = False

    @property
    def is_situational(self) -> bool:
        return self.type == SITUATIONAL

    # Cached: reports and cohort figures ask for every answer of every learner.
    @cached_property
    def max_points(self) -> int:
        if self.is_situational:
            return max(option.points for option in self.options)
        return SCALE_MAX - SCALE_MIN

    @cached_property
    def _options_by_id(self) -> dict[str, Option]:
        return {option.id: option for option in self.options}

    def option(self, option_id: str) -> Option | None:
        return self._options_by_id.get(option_id) if isinstance(option_id, str) else None


@dataclass(frozen=True)
class Dimension:
    id: str
    name: Localized
    tips: Mapping[str, tuple[str, ...]]
    description: Localized = field(default_factory=dict)
    weight: float = 1.0
    # Optional: the dimension's own cuts for its level (else the assessment's), and tips
    # for managers developing this dimension in a team (staff view).
    cut_scores: tuple[float, float] | None = None
    manager_tips: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Level:
    level: int
    name: Localized
    description: Localized
    needed_in: Localized


@dataclass(frozen=True)
class Link:
    levels: tuple[int, ...]
    kind: str
    title: Localized
    url: str


@dataclass(frozen=True)
class ScoringRules:
    cut_scores: tuple[float, float]
    self_assessment_weight: float
    min_items_per_dimension: int
    # Situational questions every dimension keeps (also after Studio overrides), so no
    # dimension is scored from self-ratings alone.
    min_situational_per_dimension: int = 1


@dataclass(frozen=True)
class Pack:
    """A validated competency pack."""
    id: str
    version: int
    languages: tuple[str, ...]
    name: Localized
    category: Localized
    definition: Localized
    scoring: ScoringRules
    scale: Mapping[str, tuple[str, ...]]
    dimensions: tuple[Dimension, ...]
    levels: tuple[Level, ...]
    links: tuple[Link, ...]
    items: tuple[Item, ...]
    source: str = ""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def language_for(self, requested: str | None) -> str:
        """The pack language closest to ``requested`` (``pl-PL`` -> ``pl``)."""
        if requested:
            for candidate in (requested, requested.split("-")[0].split("_")[0]):
                if candidate.lower() in self.languages:
                    return candidate.lower()
        return self.default_language

    def level(self, number: int) -> Level:
        return next(level for level in self.levels if level.level == number)

    def links_for(self, level: int) -> tuple[Link, ...]:
        return tuple(link for link in self.links if level in link.levels)

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)
