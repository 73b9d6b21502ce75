"""
The quick cohort pass (``domain/cohort.py``) against the plain route it replaces.

The plain route is the block's own (what ``cohort_report`` computed in-process before the
quick pass): every kept attempt rescored with ``block.rescored``, the counted one picked by
``block.counted_result``, turned into a response by ``reports.statistics_response`` and added
up by ``statistics.summarize``, reported on the weighted dimension score
(``reports.statistics_items`` with the self-assessment weight), and the loop figures from
``growth.cohort_loop_figures`` over each learner's counted self-view gaps and first and
latest attempts. The quick pass must give the same summary and the same figures, to the
last bit, on stored states of every kind: complete and partial answers, odd values,
removed questions, retakes, records that are no dicts, older layouts.
"""
from __future__ import annotations

import random
from collections import namedtuple

import pytest

from competency_xblock.domain import attempt_scoring, cohort, cohort_tally, growth, reports, state_layout, statistics

from .conftest import stored_answers
from .workbench import Learner

UserState = namedtuple("UserState", ["username", "state"])
ODD = [True, False, 1.0, 3.0, "3", None, [1], {"a": 1}, 0, 6, "zz", 2]


def plain_route(block, pack, states):
    """(summary, figures) as the block's own methods give them (the in-process route before the quick pass)."""
    items = block.active_items(pack)
    items_meta = reports.statistics_items(items, block.effective_self_assessment_weight(pack))
    retake_policy, grading_mode = block.retake_policy, block.grading_mode
    rescore_all = retake_policy != "latest"
    loop_learners = []

    def responses():
        for user_state in states:
            records = state_layout.saved_results(user_state.state)
            if records:
                rescored = [block.rescored(pack, record) for record in (records if rescore_all else records[-1:])]
                counted = block.counted_result(rescored, retake_policy, grading_mode)
                first = (rescored[0] if rescore_all else block.rescored(pack, records[0])) if len(records) > 1 else None
                loop_learners.append({"counted": counted, "first": first, "latest": rescored[-1] if first else None})
                yield reports.statistics_response(items, counted)
    summary = statistics.summarize(responses(), items_meta)
    dimension_ids = [dimension.id for dimension in pack.dimensions]
    figures = statistics.report(summary, items_meta, dimension_ids)
    figures["loop"] = growth.cohort_loop_figures(loop_learners, dimension_ids)
    return summary, figures


def plain_summary(block, pack, states):
    return plain_route(block, pack, states)[0]


def random_states(pack, count: int, seed: int) -> list[UserState]:
    """Stored states as learners leave them: mostly complete, some partial or odd, 1-3 attempts."""
    rng = random.Random(seed)
    states = []
    for number in range(count):
        results = []
        for _attempt in range(rng.choice((1, 1, 2, 3))):
            if rng.random() < 0.8:
                answers = stored_answers(rng, pack, ODD, odd_share=0.0, answered_share=1.0)
                if rng.random() < 0.1:  # every question answered, one of them oddly (True for 1, [1], 3.0...)
                    answers[rng.choice(pack.items).id] = rng.choice(ODD)
            else:
                answers = stored_answers(rng, pack, ODD, odd_share=0.15, answered_share=0.8)
            results.append({"answers": answers, "level": rng.choice((1, 2, 3, None, "x")), "overall": 50.0,
                             "submitted_at": f"2026-01-{1 + number % 28:02d}", "dimensions": {}})
        state = {"results": results, "state_version": rng.choice((2, 2, 2, None))}
        if rng.random() < 0.03:
            state["results"].append("not a record")
        if rng.random() < 0.02:
            state = {"results": "broken"}
        states.append(UserState(f"u{number}", state))
    return states


@pytest.mark.parametrize("policy,mode", [("best", "score"), ("best", "level"), ("latest", "score")])
@pytest.mark.parametrize("tables", ["per dimension", "per kind of question", "none"])
def test_the_quick_pass_gives_the_plain_routes_summary_and_figures(db, pack, policy, mode, tables, monkeypatch):
    """Whatever tables the pack allows (long dimensions get smaller ones, or none), the figures are the same."""
    if tables != "per dimension":
        monkeypatch.setattr(attempt_scoring, "DIMENSION_TABLE_LIMIT", 0)
    if tables == "none":
        monkeypatch.setattr(attempt_scoring, "PART_TABLE_LIMIT", 0)
    block = Learner("staff").load(f'<competency_assessment retake_policy="{policy}" grading_mode="{mode}" '
                                  'cut_scores="[40, 70]"/>')
    states = random_states(pack, 600, seed=len(policy) + len(mode))
    rules = block.cohort_rules(pack)
    scorer = attempt_scoring.AttemptScorer(rules)
    assert (scorer.dimension_tables is not None) == (tables == "per dimension")
    assert all((part[1] is not None) == (tables != "none") for group in scorer.groups for part in group[1:] if part)
    expected, expected_figures = plain_route(block, pack, states)
    assert cohort.summarize(rules, states) == expected
    assert expected["learners"] > 500 and expected["dimensions"]  # the check covers real sums
    loop = expected_figures["loop"]  # the loop figures cover real growth and gaps too
    assert all(figures["n"] > 50 for figures in loop["growth"].values()), loop["growth"]
    assert all(gap["n"] > 400 for gap in loop["self_gaps"].values()), loop["self_gaps"]
    assert any(row["alpha"] is not None for row in expected_figures["dimensions"])
    assert cohort.figures(rules, states) == expected_figures


def test_long_dimensions_are_folded_into_sums_with_the_same_result(db, pack, monkeypatch):
    """A dimension whose table of point tuples grows past MAX_PATTERNS is added up and emptied, exactly."""
    block = Learner("staff").load("<competency_assessment/>")
    states = random_states(pack, 300, seed=9)
    rules = block.cohort_rules(pack)
    unfolded = cohort.summarize(rules, states)
    monkeypatch.setattr(cohort_tally, "MAX_PATTERNS", 3)
    assert cohort.summarize(rules, states) == unfolded == plain_summary(block, pack, states)


def test_progress_is_reported_as_the_learners_are_read(db, pack, monkeypatch):
    monkeypatch.setattr(cohort, "PROGRESS_EVERY", 50)
    block = Learner("staff").load("<competency_assessment/>")
    seen = []
    cohort.summarize(block.cohort_rules(pack), random_states(pack, 120, seed=2), seen.append)
    assert seen == [50, 100, 120]


def test_the_fingerprint_follows_what_the_figures_depend_on(db, pack):
    learner = Learner("staff")
    base = learner.load("<competency_assessment/>").cohort_rules(pack).fingerprint()
    assert learner.load("<competency_assessment/>").cohort_rules(pack).fingerprint() == base
    for xml in ('<competency_assessment cut_scores="[40, 70]"/>', '<competency_assessment retake_policy="latest"/>',
                '<competency_assessment self_assessment_weight="0.1"/>',
                '<competency_assessment grading_mode="level"/>'):
        assert learner.load(xml).cohort_rules(pack).fingerprint() != base, xml
