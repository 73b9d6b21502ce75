"""Scoring: the formulas on hand-worked cases, and their properties under hypothesis."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from competency_xblock.domain import scoring
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN


def run(pack, answers, cut_scores=None):
    return scoring.score(pack.items, pack.dimensions, answers, cut_scores or pack.scoring.cut_scores,
                         pack.scoring.self_assessment_weight, pack.scoring.min_items_per_dimension)


def test_hand_worked_example(mini_pack):
    answers = {"l_scene": "c", "l_self": 4, "l_interrupt": 2, "c_scene": "a", "c_scene2": "a", "c_self": 5}
    result = run(mini_pack, answers)
    # listening: situational 1/3; self (4-1) + (5-2... reverse: 1+5-2=4 -> 3 points) = 6/8
    listening = 0.7 * (1 / 3) + 0.3 * (6 / 8)
    # calm: situational (3 + 2)/6; self reverse 5 -> 1 -> 0 points: 0/4
    calm = 0.7 * (5 / 6) + 0.3 * 0
    assert result.dimension("listening").percent == pytest.approx(100 * listening)
    assert result.dimension("calm").percent == pytest.approx(100 * calm)
    # calm weighs 2
    assert result.overall == pytest.approx(100 * (listening + 2 * calm) / 3)
    assert result.level == 2


def test_reverse_key_is_min_plus_max_minus_x(mini_pack):
    reverse_item = next(item for item in mini_pack.items if item.reverse)
    for value in range(SCALE_MIN, SCALE_MAX + 1):
        assert scoring.item_points(reverse_item, value) == (SCALE_MIN + SCALE_MAX - value) - SCALE_MIN


def test_dimension_needs_min_items(mini_pack):
    result = run(mini_pack, {"l_scene": "b", "c_scene": "a", "c_scene2": "b"})
    assert result.dimension("listening").percent is None
    assert result.dimension("calm").percent == pytest.approx(100.0)
    assert result.overall == pytest.approx(100.0)


def test_no_level_from_self_assessment_alone(mini_pack):
    result = run(mini_pack, {"l_self": 5, "l_interrupt": 1, "c_self": 1})
    assert result.dimension("listening").self_rated_only
    assert result.overall is not None
    assert result.level is None


@pytest.mark.parametrize("percent, level", [(0, 1), (49.99, 1), (50, 2), (79.99, 2), (80, 3), (100, 3)])
def test_level_at_and_around_cuts(percent, level):
    assert scoring.level_for(percent, (50, 80)) == level


@given(st.floats(0, 100), st.floats(0, 100))
def test_a_score_exactly_at_a_cut_gets_the_higher_level(c1, c2):
    low, high = sorted((c1, c2))
    if low == high:
        return
    assert scoring.level_for(low, (low, high)) == 2
    assert scoring.level_for(high, (low, high)) == 3


def test_borderline_within_one_standard_error(mini_pack):
    answers = {"l_scene": "b", "l_self": 5, "l_interrupt": 1, "c_scene": "b", "c_scene2": "c", "c_self": 1}
    result = run(mini_pack, answers)
    assert result.standard_error > 0
    near = (result.overall - result.standard_error / 2, 95)
    far = (max(result.overall - 3 * result.standard_error, 1), 99.5)
    assert run(mini_pack, answers, near).borderline
    if far[0] < result.overall - result.standard_error:
        assert not run(mini_pack, answers, far).borderline


def answers_strategy(pack):
    per_item = {}
    for item in pack.items:
        if item.is_situational:
            per_item[item.id] = st.sampled_from([option.id for option in item.options])
        else:
            per_item[item.id] = st.integers(SCALE_MIN, SCALE_MAX)
    return st.fixed_dictionaries({}, optional=per_item)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_scores_stay_within_bounds(mini_pack, data):
    result = run(mini_pack, data.draw(answers_strategy(mini_pack)))
    for dimension in result.dimensions:
        assert dimension.percent is None or 0 <= dimension.percent <= 100
    assert result.overall is None or 0 <= result.overall <= 100
    assert result.level in (None, 1, 2, 3)


def better_answer(item, answer):
    """A strictly better answer to ``item`` than ``answer``, or None when there is none."""
    if item.is_situational:
        points = item.option(answer).points
        better = [o.id for o in item.options if o.points > points]
        return better[0] if better else None
    step = -1 if item.reverse else 1
    value = answer + step
    return value if SCALE_MIN <= value <= SCALE_MAX else None


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_better_answer_never_lowers_a_score(mini_pack, data):
    answers = data.draw(answers_strategy(mini_pack))
    if not answers:
        return
    item_id = data.draw(st.sampled_from(sorted(answers)))
    item = next(item for item in mini_pack.items if item.id == item_id)
    improved = better_answer(item, answers[item_id])
    if improved is None:
        return
    before = run(mini_pack, answers)
    after = run(mini_pack, {**answers, item_id: improved})
    for old, new in zip(before.dimensions, after.dimensions):
        if old.percent is not None:
            assert new.percent >= old.percent - 1e-9
    if before.overall is not None:
        assert after.overall >= before.overall - 1e-9
    if before.level is not None:
        assert after.level >= before.level


@pytest.mark.parametrize("raw, message", [
    ([], "Answers must be an object"),
    ({"nope": "a"}, "Unknown question id(s): nope."),
    ({"l_scene": "z"}, "must be one of the option ids: a, b, c"),
    ({"l_scene": 1}, "must be one of the option ids"),
    ({"l_self": 6}, "whole number from 1 to 5"),
    ({"l_self": 0}, "whole number from 1 to 5"),
    ({"l_self": "3"}, "whole number from 1 to 5"),
    ({"l_self": True}, "whole number from 1 to 5"),
    ({"l_self": 2.5}, "whole number from 1 to 5"),
])
def test_clean_answers_refuses_bad_values(mini_pack, raw, message):
    with pytest.raises(scoring.AnswerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        scoring.clean_answers({item.id: item for item in mini_pack.items}, raw)


def test_lowered_and_raised(mini_pack):
    answers = {"l_scene": "a", "l_self": 5, "l_interrupt": 1, "c_scene": "b", "c_scene2": "b", "c_self": 1}
    lowered, raised = scoring.lowered_and_raised(run(mini_pack, answers))
    assert [s.item_id for s in lowered] == ["c_scene", "l_scene"]
    assert {s.item_id for s in raised} == {"l_self", "l_interrupt", "c_scene2", "c_self"}


def test_weakest_dimensions(mini_pack):
    answers = {"l_scene": "a", "l_self": 1, "l_interrupt": 5, "c_scene": "a", "c_scene2": "b", "c_self": 1}
    assert [d.id for d in scoring.weakest_dimensions(run(mini_pack, answers), 1)] == ["listening"]


def test_scoring_imports_nothing_from_xblock():
    import competency_xblock.domain.pack_loader
    import competency_xblock.domain.pack_model
    import competency_xblock.blocks.presenters
    for module in (scoring, competency_xblock.domain.pack_model, competency_xblock.domain.pack_loader,
                   competency_xblock.blocks.presenters):
        source = open(module.__file__, encoding="utf-8").read()
        assert "import xblock" not in source and "from xblock" not in source, module.__name__
