"""
What reaches the gradebook: the ``grade`` and ``completion`` events the block publishes.

In Open edX the LMS turns a ``grade`` event into the learner's problem score: with
``only_if_higher`` it keeps a higher earlier score (lms/djangoapps/grades/signals/handlers.py,
``score_published_handler``), and it weights raw scores with the block's ``weight`` field
(lms/djangoapps/grades/scores.py, ``weighted_score``: earned * weight / possible out of
weight), taking ``raw_possible`` from the event and, before any attempt, from
``max_score()``. ``Gradebook`` below applies those two rules, so the tests can state what
the instructor sees; what the block itself must guarantee is checked on the events:
raw (unweighted) values, ``max_value == max_score()``, the right ``only_if_higher``.

Figures from the ``mini`` pack (see tests/test_staff.py for how they are worked out):
u1's answers score 96.25 (level 3), u2's 64.17 (level 2), u5's 34.58 (level 1).
"""
from __future__ import annotations

import pytest

from .test_staff import COHORT, XML, mini_library  # noqa: F401  (fixture)
from .workbench import Learner

HIGH, MIDDLE, LOW = COHORT["u1"], COHORT["u2"], COHORT["u5"]
SCORES = {"score": {"high": 96.25, "middle": 64.17, "low": 34.58}, "level": {"high": 3.0, "middle": 2.0, "low": 1.0}}


class Gradebook:
    """The LMS's handling of grade events for one learner and one block."""

    def __init__(self, weight):
        self.weight = weight
        self.raw = None

    def receive(self, event):
        earned, possible = event["value"], event["max_value"]
        if event.get("only_if_higher") and self.raw is not None:
            previous_earned, previous_possible = self.raw
            if earned / possible < previous_earned / previous_possible:
                return
        self.raw = (earned, possible)

    @property
    def weighted(self):
        earned, possible = self.raw
        if self.weight is None or possible == 0:
            return earned, possible
        return earned * self.weight / possible, float(self.weight)


def make_block(learner, mode="score", policy="best", **settings):
    xml = XML.format(policy=policy).replace("/>", f' grading_mode="{mode}"/>')
    block = learner.load(xml)
    for name, value in settings.items():
        setattr(block, name, value)
    return block


def submit(learner, block, answers):
    status, body = learner.call(block, "submit", {"answers": answers})
    assert status == 200, body


@pytest.fixture
def learner(db, mini_library):  # noqa: F811
    return Learner("u1")


@pytest.mark.parametrize("mode, possible", [("score", 100.0), ("level", 3.0)])
def test_one_submission_publishes_grade_and_completion(learner, mode, possible):
    block = make_block(learner, mode)
    submit(learner, block, MIDDLE)
    assert learner.published("grade") == [
        {"value": SCORES[mode]["middle"], "max_value": possible, "only_if_higher": True}]
    assert learner.published("completion") == [{"completion": 1.0}]
    assert block.max_score() == possible
    assert tuple(block.get_score()) == (SCORES[mode]["middle"], possible)


@pytest.mark.parametrize("mode", ["score", "level"])
@pytest.mark.parametrize("policy, order, counted", [
    ("best", ("high", "low"), "high"),
    ("best", ("low", "high"), "high"),
    ("latest", ("high", "low"), "low"),
    ("latest", ("low", "high"), "high"),
])
def test_retake_policies_reach_the_gradebook(learner, mode, policy, order, counted):
    block = make_block(learner, mode, policy)
    for quality in order:
        submit(learner, block, {"high": HIGH, "low": LOW}[quality])
    events = learner.published("grade")
    assert [event["only_if_higher"] for event in events] == [policy == "best"] * 2
    assert {event["max_value"] for event in events} == {block.max_score()}
    gradebook = Gradebook(weight=None)
    for event in events:
        gradebook.receive(event)
    assert gradebook.raw == (SCORES[mode][counted], block.max_score())
    assert block.get_score().raw_earned == SCORES[mode][counted]
    assert learner.published("completion") == [{"completion": 1.0}] * 2


@pytest.mark.parametrize("mode", ["score", "level"])
def test_weight_is_applied_by_the_lms_not_the_block(db, mini_library, mode):  # noqa: F811
    events = {}
    for weight in (1.0, 10.0, 0.0):
        learner = Learner("u1")
        block = make_block(learner, mode, weight=weight)
        assert block.fields["weight"].scope.name == "settings" and block.weight == weight
        submit(learner, block, MIDDLE)
        events[weight] = learner.published("grade")
    assert events[1.0] == events[10.0] == events[0.0]  # raw points, whatever the weight
    gradebook = Gradebook(weight=10.0)
    gradebook.receive(events[10.0][0])
    possible = {"score": 100.0, "level": 3.0}[mode]
    assert gradebook.weighted == pytest.approx((10.0 * SCORES[mode]["middle"] / possible, 10.0))
    zero = Gradebook(weight=0.0)
    zero.receive(events[0.0][0])
    assert zero.weighted == (0.0, 0.0)  # a weight of 0 takes the block out of the grade


def test_rescore_after_raising_the_cut_scores(learner):
    block = make_block(learner, "level")
    submit(learner, block, MIDDLE)  # 64.17: level 2 with the pack's cuts 50/80
    block.cut_scores = [70, 90]     # now level 1
    block.rescore(only_if_higher=True)
    assert learner.published("grade")[-1] == {"value": 1.0, "max_value": 3.0, "only_if_higher": True}
    assert block.get_score().raw_earned == 2.0  # the higher score is kept
    block.rescore(only_if_higher=False)
    assert learner.published("grade")[-1] == {"value": 1.0, "max_value": 3.0, "only_if_higher": False}
    assert block.get_score().raw_earned == 1.0
    gradebook = Gradebook(weight=None)
    for event in learner.published("grade"):
        gradebook.receive(event)
    assert gradebook.raw == (1.0, 3.0)


def test_rescore_in_score_mode_ignores_cut_scores(learner):
    block = make_block(learner, "score")
    submit(learner, block, MIDDLE)
    block.cut_scores = [70, 90]
    block.rescore(only_if_higher=False)
    assert learner.published("grade")[-1]["value"] == SCORES["score"]["middle"]


def test_rescore_after_switching_to_level_mode_publishes_out_of_3(learner):
    block = make_block(learner, "score")
    submit(learner, block, HIGH)
    block.grading_mode = "level"
    block.rescore(only_if_higher=False)
    assert learner.published("grade")[-1] == {"value": 3.0, "max_value": 3.0, "only_if_higher": False}
    assert block.max_score() == 3.0 and tuple(block.get_score()) == (3.0, 3.0)


def test_rescore_counts_the_best_attempt_under_the_new_key(learner):
    block = make_block(learner, "level", policy="best")
    submit(learner, block, LOW)
    submit(learner, block, MIDDLE)
    block.cut_scores = [30, 60]  # LOW (34.58) becomes 2, MIDDLE (64.17) becomes 3
    block.rescore(only_if_higher=True)
    assert learner.published("grade")[-1]["value"] == 3.0


def test_rescore_without_a_submission_is_refused(learner):
    block = make_block(learner)
    with pytest.raises(ValueError):
        block.rescore(only_if_higher=False)
    assert learner.published("grade") == []


def test_nothing_is_published_for_drafts_or_refused_submissions(learner):
    block = make_block(learner, max_attempts=1)
    assert learner.call(block, "save_answers", {"answers": MIDDLE})[0] == 200
    assert learner.events == []
    submit(learner, block, MIDDLE)
    assert learner.call(block, "submit", {"answers": HIGH})[0] == 403
    assert len(learner.published("grade")) == 1 and len(learner.published("completion")) == 1
