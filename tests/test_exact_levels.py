"""
Scores exactly on a cut get the higher level, and the score shown agrees with the level.

An exact scorer written here from the README's rules (in fractions; the pack's decimals
read as written, 0.3 = 3/10) finds answer sets whose score is exactly C1 or C2, by a
search over the reachable exact scores; the block's own scorer (floats) must give each
of them the higher level, and the score it shows must read at least the cut.
"""
from __future__ import annotations

import random
from fractions import Fraction

import pytest

from competency_xblock.domain import scoring
from competency_xblock.domain.pack_loader import CONTENT_DIR, load_pack_file, parse_pack
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN

SETS_PER_CUT = 150


def exact(value) -> Fraction:
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def exact_score(pack, answers, self_weight) -> Fraction:
    """The README's "Scoring", every answer given: the overall score in exact arithmetic."""
    a = exact(self_weight)
    dimension_scores, weights = [], []
    for dimension in pack.dimensions:
        items = [item for item in pack.items if item.dimension == dimension.id]
        if len(items) < pack.scoring.min_items_per_dimension:
            continue
        shares = []
        for situational in (True, False):
            kind = [item for item in items if item.is_situational == situational]
            if kind:
                earned = sum(exact(item.weight) * points(item, answers[item.id]) for item in kind)
                shares.append(earned / sum(exact(item.weight) * item.max_points for item in kind))
            else:
                shares.append(None)
        situational_share, self_share = shares
        if situational_share is None or self_share is None:
            share = situational_share if self_share is None else self_share
        else:
            share = (1 - a) * situational_share + a * self_share
        dimension_scores.append(100 * share)
        weights.append(exact(dimension.weight))
    return sum(w * s for w, s in zip(weights, dimension_scores)) / sum(weights)


def points(item, answer) -> int:
    if item.is_situational:
        return item.option(answer).points
    return (SCALE_MIN + SCALE_MAX - answer if item.reverse else answer) - SCALE_MIN


def choices(item) -> list:
    return [option.id for option in item.options] if item.is_situational else list(range(SCALE_MIN, SCALE_MAX + 1))


def reachable(pack, self_weight):
    """Per item, what each answer adds to the exact score, and the exact sums the items from i on can reach."""
    base = {item.id: next(c for c in choices(item) if points(item, c) == 0) for item in pack.items}
    zero = exact_score(pack, base, self_weight)
    adds = [{c: exact_score(pack, {**base, item.id: c}, self_weight) - zero for c in choices(item)}
            for item in pack.items]   # the score is linear in the points once every item is answered
    suffix = [{Fraction(0)}]
    for item_adds in reversed(adds):
        suffix.insert(0, {total + add for total in suffix[0] for add in set(item_adds.values())})
    return zero, adds, suffix


def answer_sets_on(pack, cut, self_weight, count, rng):
    """Up to ``count`` different random answer sets whose exact score is ``cut``."""
    zero, adds, suffix = reachable(pack, self_weight)
    target = exact(cut) - zero
    if target not in suffix[0]:
        return []
    found = {}
    for _ in range(count * 5):
        remaining, answers = target, {}
        for index, item in enumerate(pack.items):
            fitting = [c for c, add in adds[index].items() if remaining - add in suffix[index + 1]]
            answers[item.id] = rng.choice(fitting)
            remaining -= adds[index][answers[item.id]]
        found[tuple(sorted(answers.items()))] = answers
        if len(found) >= count:
            break
    return list(found.values())


def check_cut(pack, cut, level, self_weight, rng):
    sets = answer_sets_on(pack, cut, self_weight, SETS_PER_CUT, rng)
    below_in_floats = 0
    for answers in sets:
        assert exact_score(pack, answers, self_weight) == exact(cut)
        result = scoring.score(pack.items, pack.dimensions, answers, pack.scoring.cut_scores, self_weight,
                               pack.scoring.min_items_per_dimension)
        below_in_floats += result.overall < cut
        assert result.level == level, (answers, result.overall)
        assert float(scoring.shown_percent(result.overall)) >= cut
    return len(sets), below_in_floats


def test_answer_sets_exactly_on_the_shipped_cuts_get_the_higher_level(capsys):
    pack = load_pack_file(CONTENT_DIR / "customer_service.yaml")
    rng = random.Random(13)
    c1, c2 = pack.scoring.cut_scores
    for cut, level in ((c1, 2), (c2, 3)):
        found, below = check_cut(pack, cut, level, pack.scoring.self_assessment_weight, rng)
        with capsys.disabled():
            print(f"\ncustomer_service: {found} answer sets exactly on {cut:g}, {below} of them below it in "
                  f"float arithmetic, all at level {level}")
        assert found >= 50   # the cuts are chosen among the scores the pack can reach exactly


GENERATED = """
id: generated
version: 1
languages: [en]
name: {en: G}
category: {en: G}
definition: {en: G}
scoring: {cut_scores: [CUT1, CUT2], self_assessment_weight: 0.35, min_items_per_dimension: 2}
self_assessment_scale: {en: [a, b, c, d, e]}
dimensions:
  - {id: one, name: {en: One}, tips: {en: [x, y]}, weight: 1.5}
  - {id: two, name: {en: Two}, tips: {en: [x, y]}}
levels:
  - {level: 1, name: {en: L}, description: {en: L}, needed_in: {en: L}}
  - {level: 2, name: {en: M}, description: {en: M}, needed_in: {en: M}}
  - {level: 3, name: {en: H}, description: {en: H}, needed_in: {en: H}}
links: []
items:
ITEMS
"""


def generated_pack(rng, cuts=(50, 80)):
    lines = []
    for number in range(8):
        dimension = ("one", "two")[number % 2]
        weight = rng.choice([1, 1.5, 2, 0.5])
        if number < 5:
            points = rng.sample([0, 1, 2, 3], 4)
            options = ", ".join(f"{{id: o{i}, points: {p}, text: {{en: t}}}}" for i, p in enumerate(points))
            lines.append(f"  - {{id: s{number}, type: situational, dimension: {dimension}, weight: {weight}, "
                         f"behaviour: {{en: b}}, scene: {{en: s}}, options: [{options}]}}")
        else:
            lines.append(f"  - {{id: r{number}, type: self_assessment, dimension: {dimension}, weight: {weight}, "
                         f"reverse: {str(rng.random() < 0.5).lower()}, behaviour: {{en: b}}, statement: {{en: s}}}}")
    text = GENERATED.replace("ITEMS", "\n".join(lines))
    return parse_pack(text.replace("CUT1", str(cuts[0])).replace("CUT2", str(cuts[1])), "generated.yaml"), text


def test_answer_sets_exactly_on_the_cuts_of_a_generated_pack_get_the_higher_level(capsys):
    rng = random.Random(7)
    pack, text = generated_pack(rng)
    zero, _, suffix = reachable(pack, pack.scoring.self_assessment_weight)
    # the one-decimal scores this pack can reach exactly, nearest 50 and 80, become its cuts
    decimals = sorted(zero + total for total in suffix[0] if ((zero + total) * 10).denominator == 1)
    c1 = min((s for s in decimals if 20 <= s <= 60), key=lambda s: abs(s - 50))
    c2 = min((s for s in decimals if 65 <= s < 100), key=lambda s: abs(s - 80))
    pack = parse_pack(text.replace("CUT1", f"{float(c1):g}").replace("CUT2", f"{float(c2):g}"), "generated.yaml")
    for cut, level in ((float(c1), 2), (float(c2), 3)):
        found, below = check_cut(pack, cut, level, pack.scoring.self_assessment_weight, rng)
        with capsys.disabled():
            print(f"\ngenerated pack: {found} answer sets exactly on {cut:g}, {below} below it in floats, all at level {level}")
        assert found >= 10


@pytest.mark.parametrize("percent, shown", [(49.99999999999999, "50"), (64.16666666666667, "64.1"),
                                            (79.96, "79.9"), (100.0, "100"), (0.0, "0"), (12.5, "12.5")])
def test_the_shown_score_is_cut_down_never_rounded_up(percent, shown):
    assert scoring.shown_percent(percent) == shown
