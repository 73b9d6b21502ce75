"""
The borderline flag, validated by simulation (README "Scoring").

Response model (documented here and in the README): a simulated learner has a true
ability theta with logit(theta) ~ Normal(0.3, 1.2); item i has a fixed difficulty b_i ~
Normal(0, 0.5), and self-ratings run high (b_i - 0.5). The learner earns
Binomial(max_i, p_i) points on item i with p_i = logistic(logit(theta) - b_i): on a
scene the option with that many points, on a self-rating the matching value. The true
score is the expected score, 100 * sum v_i p_i (v_i: the item's share, scoring.item_shares),
and the true level is that score's level. Among learners *not* flagged borderline, at
least 95 % must be placed at their true level.
"""
from __future__ import annotations

import math
import random

from competency_xblock.domain import scoring
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN

LEARNERS = 3000


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def simulate(pack, rng):
    rules = pack.scoring
    difficulty = {item.id: rng.gauss(0, 0.5) - (0 if item.is_situational else 0.5) for item in pack.items}
    shares = scoring.item_shares(
        [scoring.ItemScore(i.id, i.dimension, i.is_situational, 0, i.max_points, i.weight) for i in pack.items],
        pack.dimensions, rules.self_assessment_weight, rules.min_items_per_dimension)
    outcomes = []
    for _ in range(LEARNERS):
        ability = rng.gauss(0.3, 1.2)
        answers, true_score = {}, 0.0
        for item in pack.items:
            p = _logistic(ability - difficulty[item.id])
            true_score += 100 * shares[item.id] * p
            earned = sum(rng.random() < p for _ in range(item.max_points))
            if item.is_situational:
                answers[item.id] = min(item.options, key=lambda option: abs(option.points - earned)).id
            else:
                answers[item.id] = SCALE_MAX - earned if item.reverse else SCALE_MIN + earned
        result = scoring.score(pack.items, pack.dimensions, answers, rules.cut_scores,
                               rules.self_assessment_weight, rules.min_items_per_dimension)
        outcomes.append((scoring.level_for(true_score, rules.cut_scores), result.level, result.borderline))
    return outcomes


def test_learners_not_flagged_are_placed_at_their_true_level(pack, capsys):
    outcomes = simulate(pack, random.Random(2026))
    not_flagged = [(true, placed) for true, placed, flagged in outcomes if not flagged]
    accuracy = sum(true == placed for true, placed in not_flagged) / len(not_flagged)
    overall = sum(true == placed for true, placed, _ in outcomes) / len(outcomes)
    flagged = 1 - len(not_flagged) / len(outcomes)
    flagged_right = [true == placed for true, placed, f in outcomes if f]
    with capsys.disabled():
        print(f"\nborderline simulation ({LEARNERS} learners): {flagged:.1%} flagged; accuracy "
              f"{accuracy:.1%} among those not flagged, {overall:.1%} overall, "
              f"{sum(flagged_right) / max(1, len(flagged_right)):.1%} among the flagged; true levels "
              f"{[sum(t == level for t, _, _ in outcomes) for level in (1, 2, 3)]}")
    assert accuracy >= 0.95
    assert 0 < flagged < 0.5   # the flag means something: it is neither silent nor on most learners
    # every true level is represented, so the accuracy is not that of one easy level
    assert all(sum(t == level for t, _, _ in outcomes) >= LEARNERS // 20 for level in (1, 2, 3))


def test_the_standard_error_is_that_of_the_weighted_score(pack):
    # Equal shares: the familiar sd / sqrt(n) of the item fractions.
    items = [scoring.ItemScore(f"i{n}", "d", True, points, 3, 1.0) for n, points in enumerate([0, 1, 2, 3, 3])]
    shares = {s.item_id: 1 / 5 for s in items}
    fractions = [s.fraction for s in items]
    mean = sum(fractions) / 5
    sd = math.sqrt(sum((f - mean) ** 2 for f in fractions) / 4)
    assert scoring.standard_error(items, shares) == __import__("pytest").approx(100 * sd / math.sqrt(5))
    # All weight on one item: no error can be estimated from a single item.
    assert scoring.standard_error(items, {"i0": 1.0}) is None
