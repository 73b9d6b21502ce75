"""
Answer cues in a pack: can a learner find the best situational option without
knowing anything about customer service?

The cue checked here is length: writers tend to make the best reaction the most
careful, hence the longest, text. When the best option is the longest in more than
a third of the situational items, "always pick the longest" beats chance and the
level measures test-wiseness. This is a warning, not an error: a pack may have
reasons for a long best answer now and then, and the designer decides.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .pack_model import Item, Pack

# Above this share of situational items with the best option longest, validate warns.
LONGEST_BEST_LIMIT = Fraction(1, 3)


@dataclass(frozen=True)
class LengthCue:
    """How much option length gives away in one language of a pack."""
    language: str
    items: int                 # situational items
    best_is_longest: int       # items where a best option is (one of) the longest
    longest_share: Fraction    # share of situational points won by always picking the longest
    chance_share: Fraction     # share won by picking uniformly at random

    @property
    def too_many(self) -> bool:
        return self.best_is_longest > self.items * LONGEST_BEST_LIMIT


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def _longest_options(item: Item, language: str) -> list:
    lengths = {option.id: _length(option.text.get(language, "")) for option in item.options}
    top = max(lengths.values())
    return [option for option in item.options if lengths[option.id] == top]


def length_cue(pack: Pack, language: str) -> LengthCue:
    """The length cue of ``pack`` in ``language`` (item weights count as in scoring)."""
    items = [item for item in pack.items if item.is_situational and item.options]
    best_longest = 0
    longest_points = chance_points = max_points = Fraction(0)
    for item in items:
        weight = Fraction(item.weight).limit_denominator()
        longest = _longest_options(item, language)
        if any(option.points == item.max_points for option in longest):
            best_longest += 1
        # A learner picking "the longest" picks among tied longest options at random.
        longest_points += weight * Fraction(sum(o.points for o in longest), len(longest))
        chance_points += weight * Fraction(sum(o.points for o in item.options), len(item.options))
        max_points += weight * item.max_points
    if not max_points:
        return LengthCue(language, len(items), best_longest, Fraction(0), Fraction(0))
    return LengthCue(language, len(items), best_longest, longest_points / max_points,
                     chance_points / max_points)


def length_cues(pack: Pack) -> list[LengthCue]:
    return [length_cue(pack, language) for language in pack.languages]


def cue_warnings(pack: Pack) -> list[str]:
    """One plain warning per language in which option length gives the best answer away."""
    return [
        f"warning: in {cue.language!r} the best option is the longest in {cue.best_is_longest} "
        f"of {cue.items} situational items (more than a third); always picking the longest "
        f"earns {float(cue.longest_share):.0%} of the situational points against "
        f"{float(cue.chance_share):.0%} by chance: vary the option lengths"
        for cue in length_cues(pack) if cue.too_many
    ]
