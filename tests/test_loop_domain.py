"""Closing the loop, pure parts: dimension levels, self-view gaps, growth and its t interval, retake timing."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from competency_xblock.domain import authoring, dimension_levels, growth, reassessment, scoring, self_view
from competency_xblock.domain.pack_loader import PackError, load_pack_file

from .conftest import PACKS

SCIPY = json.loads((Path(__file__).parent / "fixtures" / "growth_scipy.json").read_text())
HAND_WORKED = {"l_scene": "c", "l_self": 4, "l_interrupt": 2, "c_scene": "a", "c_scene2": "a", "c_self": 5}


def run(pack, answers, cut_scores=(50, 80)):
    return scoring.score(pack.items, pack.dimensions, answers, cut_scores, pack.scoring.self_assessment_weight,
                         pack.scoring.min_items_per_dimension)


# ----- levels per dimension ----------------------------------------------------------------------

def test_dimension_levels_follow_level_for_with_the_assessments_cuts(mini_pack):
    result = run(mini_pack, HAND_WORKED)
    # listening 0.7/3 + 0.3*6/8 = 45.8 %, calm 0.7*5/6 = 58.3 %
    levels = dimension_levels.dimension_levels(result, mini_pack.dimensions, (50, 80))
    assert levels == {"listening": 1, "calm": 2}
    # other cuts, other levels: 40 and 55 put listening at 2 and calm at 3
    assert dimension_levels.dimension_levels(result, mini_pack.dimensions, (40, 55)) == {"listening": 2, "calm": 3}


def test_a_dimension_exactly_at_a_cut_gets_the_higher_level(mini_pack):
    result = run(mini_pack, HAND_WORKED)
    calm = result.dimension("calm").percent
    assert dimension_levels.dimension_levels(result, mini_pack.dimensions, (10, calm))["calm"] == 3
    assert dimension_levels.dimension_levels(result, mini_pack.dimensions, (calm, 99))["calm"] == 2


def test_a_dimensions_own_cuts_come_before_the_assessments(mini_pack):
    result = run(mini_pack, HAND_WORKED)
    strict = dataclasses.replace(mini_pack.dimensions[1], cut_scores=(60, 90))
    levels = dimension_levels.dimension_levels(result, (mini_pack.dimensions[0], strict), (50, 80))
    assert levels == {"listening": 1, "calm": 1}   # 58.3 % is below calm's own C1 of 60


def test_no_dimension_level_without_situational_answers_or_too_few_answers(mini_pack):
    result = run(mini_pack, {"l_self": 5, "l_interrupt": 1, "c_scene": "a", "c_scene2": "b"})
    assert result.dimension("listening").self_rated_only
    levels = dimension_levels.dimension_levels(result, mini_pack.dimensions, (50, 80))
    assert levels == {"listening": None, "calm": 3}
    assert dimension_levels.dimension_levels(run(mini_pack, {"c_scene": "a"}), mini_pack.dimensions,
                                             (50, 80)) == {"listening": None, "calm": None}


# ----- self-view ---------------------------------------------------------------------------------

def test_self_view_gap_is_self_share_minus_situational_share(mini_pack):
    gaps = self_view.gaps(run(mini_pack, HAND_WORKED))
    assert gaps["listening"] == pytest.approx(100 * 6 / 8 - 100 / 3)     # 41.7: rates self higher
    assert gaps["calm"] == pytest.approx(0 - 100 * 5 / 6)                # -83.3: lower
    assert self_view.reading(gaps["listening"]) == self_view.HIGHER
    assert self_view.reading(gaps["calm"]) == self_view.LOWER


@pytest.mark.parametrize("gap, reading", [(15.0, "aligned"), (15.01, "higher"), (-15.0, "aligned"),
                                          (-15.01, "lower"), (0, "aligned"), (None, None)])
def test_self_view_threshold_is_exclusive(gap, reading):
    assert self_view.reading(gap) == reading


def test_a_self_view_gap_needs_both_kinds_of_answer(mini_pack):
    gaps = self_view.gaps(run(mini_pack, {"l_self": 5, "l_interrupt": 1, "c_scene": "a", "c_scene2": "b"}))
    assert gaps == {"listening": None, "calm": None}


def test_the_gap_never_changes_the_score_or_level(mini_pack):
    answers = dict(HAND_WORKED)
    before = run(mini_pack, answers)
    self_view.gaps(before)
    assert run(mini_pack, answers) == before


def test_cohort_mean_gap_skips_learners_without_a_gap():
    found = self_view.cohort_mean_gaps([{"a": 10, "b": None}, {"a": -4.0, "b": 20}, None, {"a": True}], ["a", "b"])
    assert found == {"a": {"mean": 3.0, "n": 2}, "b": {"mean": 20.0, "n": 1}}


# ----- growth ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", SCIPY["quantiles"], ids=lambda c: f"p{c['p']}-df{c['df']}")
def test_t_quantile_matches_scipy(case):
    assert growth.t_quantile(case["p"], case["df"]) == pytest.approx(case["t"], rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("case", SCIPY["intervals"], ids=lambda c: f"n{c['n']}")
def test_mean_change_interval_matches_scipy(case):
    figures = growth.mean_with_interval(case["values"])
    assert figures["n"] == case["n"]
    assert figures["mean"] == pytest.approx(case["mean"], rel=1e-12)
    assert figures["low"] == pytest.approx(case["low"], rel=1e-9)
    assert figures["high"] == pytest.approx(case["high"], rel=1e-9)


def test_interval_needs_two_learners():
    assert growth.mean_with_interval([]) == {"n": 0, "mean": None, "low": None, "high": None, "sd": None}
    assert growth.mean_with_interval([4.0])["low"] is None
    assert growth.mean_with_interval([4.0, 4.0])["low"] == pytest.approx(4.0)   # no spread, no width


def test_learner_changes_and_cohort_growth():
    changes = growth.learner_changes({"a": 40.0, "b": None, "c": 10}, {"a": 55.5, "b": 70, "c": 5})
    assert changes == {"a": 15.5, "b": None, "c": -5}
    cohort = growth.cohort_growth([changes, {"a": 4.5, "b": 10, "c": None}, "odd"], ["a", "b", "c"])
    assert cohort["a"]["n"] == 2 and cohort["a"]["mean"] == pytest.approx(10.0)
    assert cohort["b"] == {"n": 1, "mean": 10.0, "low": None, "high": None, "sd": None}
    assert cohort["c"]["n"] == 1


def test_cohort_loop_figures_count_only_learners_with_two_attempts():
    learners = [
        {"counted": {"self_gaps": {"a": 20}}, "first": {"dimensions": {"a": 40}}, "latest": {"dimensions": {"a": 60}}},
        {"counted": {"self_gaps": {"a": 0}}, "first": {"dimensions": {"a": 50}}, "latest": {"dimensions": {"a": 56}}},
        {"counted": {"self_gaps": {"a": -5}}, "first": None, "latest": None},
    ]
    figures = growth.cohort_loop_figures(learners, ["a"])
    assert figures["growth"]["a"]["n"] == 2 and figures["growth"]["a"]["mean"] == pytest.approx(13.0)
    assert figures["self_gaps"]["a"] == {"mean": 5.0, "n": 3}
    rows = growth.csv_rows(figures["growth"], figures["self_gaps"])
    assert rows[0][:4] == ["type", "dimension", "learners", "mean_change"]
    assert rows[1][:4] == ["growth", "a", 2, 13.0] and rows[1][-2:] == [5.0, 3]


def test_weakest_dimensions_of_the_cohort():
    assert growth.weakest({"a": 70.0, "b": 40.0, "c": None, "d": 55.0}) == ["b", "d"]


# ----- retake timing -----------------------------------------------------------------------------

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def test_retake_opens_after_the_wait():
    opens = reassessment.retake_opens_at((NOW - timedelta(days=1)).isoformat(), 3)
    assert opens == NOW + timedelta(days=2)
    assert reassessment.must_wait(opens, NOW) and not reassessment.must_wait(opens, opens)
    assert reassessment.retake_opens_at(NOW.isoformat(), 0) is None
    assert reassessment.retake_opens_at("not a date", 3) is None
    assert reassessment.retake_opens_at(NOW.isoformat(), True) is None


@pytest.mark.parametrize("opens_at, completed, attempts_left, expected", [
    (NOW - timedelta(seconds=1), None, None, "wait_over"),
    (NOW + timedelta(seconds=1), True, None, None),          # the wait runs: nothing, lessons or not
    (None, True, 2, "lessons_completed"),
    (None, False, 2, None), (None, None, None, None),
    (NOW - timedelta(days=1), True, 0, None),                # no attempt left
])
def test_invitation(opens_at, completed, attempts_left, expected):
    assert reassessment.invitation(opens_at, NOW, completed, attempts_left) == expected


# ----- settings and packs ------------------------------------------------------------------------

@pytest.mark.parametrize("value, message", [
    ({"ghost": {"1": [{"title": "x", "url": "/x"}]}}, "'ghost' is not a dimension of the pack"),
    ({"calm": {}}, "dimension 'calm': choose at least one level"),
    ({"calm": {"": [{"title": "x", "url": "/x"}]}}, "choose the level (1, 2 or 3)"),
    ({"calm": {"4": [{"title": "x", "url": "/x"}]}}, "'4' is not a level"),
    ({"calm": {"1": [{"title": "x", "url": "javascript:alert(1)"}]}}, "is not an http(s) link"),
    ({"calm": {"1": []}}, "give at least one lesson"),
    ([], "must be an object"),
])
def test_dimension_follow_up_problems(value, message):
    problems = authoring.dimension_follow_up_problems(value, ["listening", "calm"])
    assert any(message in problem for problem in problems), problems


def test_good_dimension_follow_ups_pass_and_open_by_level():
    value = {"calm": {"1": [{"title": "Breathe", "url": "/courses/x/jump_to_id/b"}],
                      "3": [{"title": "Coach", "url": "https://example.org/c"}]}}
    assert authoring.dimension_follow_up_problems(value, ["listening", "calm"]) == []
    assert authoring.usable_dimension_follow_ups(value, {"calm": 1, "listening": 1}) == {
        "calm": [{"title": "Breathe", "url": "/courses/x/jump_to_id/b"}]}
    assert authoring.usable_dimension_follow_ups(value, {"calm": 2}) == {}


def test_every_customer_service_dimension_has_managers_tips_in_pl_and_en(pack):
    for dimension in pack.dimensions:
        assert len(dimension.manager_tips.get("pl", ())) >= 1, dimension.id
        assert len(dimension.manager_tips.get("en", ())) == len(dimension.manager_tips["pl"]), dimension.id
        assert set(dimension.manager_tips["en"]).isdisjoint(dimension.tips["en"])  # not the learner's tips


def test_pack_errors_for_managers_tips_of_an_unknown_dimension_and_falling_cuts(tmp_path):
    text = (PACKS / "mini.yaml").read_text(encoding="utf-8")
    bad = text.replace("    weight: 2\n", "    weight: 2\n    cut_scores: [70, 60]\n") + (
        '\nmanager_tips:\n  ghost: {en: ["Coach them."]}\n')
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack_file(tmp_path / "bad.yaml")
    text_of = str(error.value)
    assert "unknown dimension 'ghost'" in text_of and "cut scores must rise" in text_of
