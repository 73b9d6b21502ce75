"""
Closing the loop in the XBlock SDK's workbench runtime: dimension levels and lessons, the
self-view, the retake wait, the completion-based invitation, growth, and the staff figures.
"""
from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import statistics as pystats
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from competency_xblock.domain import dimension_levels, scoring, self_view
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN
from workbench_demo.services import DemoCompletionService

from .conftest import answer_set
from .workbench import Learner

SCIPY = json.loads((Path(__file__).parent / "fixtures" / "growth_scipy.json").read_text())
WEAK = "communication"


def weak_in(pack, dimension_id: str) -> dict:
    """The best answers, except the worst in one dimension."""
    best, worst = answer_set(pack, "best"), answer_set(pack, "worst")
    return {item.id: worst[item.id] if item.dimension == dimension_id else best[item.id] for item in pack.items}


def unit_xml(assessment_attributes: str = "") -> str:
    return (f'<vertical_demo><competency_assessment {assessment_attributes}/>'
            f'<competency_gate display_name="Talk it through" dimension="{WEAK}" levels="[1]">'
            f'<html_demo><![CDATA[<p>Say what you can do.</p>]]></html_demo></competency_gate>'
            f'<competency_gate display_name="Calm first" dimension="tolerance" levels="[1]">'
            f'<html_demo><![CDATA[<p>Breathe out.</p>]]></html_demo></competency_gate>'
            f'<competency_gate display_name="Basics" levels="[1]">'
            f'<html_demo><![CDATA[<p>Greet them.</p>]]></html_demo></competency_gate></vertical_demo>')


def load_unit(user, attributes=""):
    root = user.load(unit_xml(attributes))
    assessment, talk, calm, basics = root.children
    return root, assessment, {"talk": talk, "calm": calm, "basics": basics}


def gate_state(user, usage_id) -> str:
    return re.search(r'data-state="(\w+)"', user.render(user.block(usage_id))).group(1)


def submit(user, usage_id, answers):
    return user.call(user.block(usage_id), "submit", {"answers": answers})


def expected_result(pack, answers):
    return scoring.score(pack.items, pack.dimensions, answers, pack.scoring.cut_scores,
                         pack.scoring.self_assessment_weight, pack.scoring.min_items_per_dimension)


# ----- levels and lessons per dimension ----------------------------------------------------------

def test_the_result_table_shows_each_dimensions_level_beside_its_percentage(learner, pack):
    answers = weak_in(pack, WEAK)
    _, assessment, _ = load_unit(learner)
    status, body = submit(learner, assessment, answers)
    assert status == 200
    expected = dimension_levels.dimension_levels(expected_result(pack, answers), pack.dimensions,
                                                 pack.scoring.cut_scores)
    assert expected[WEAK] == 1 and set(expected.values()) == {1, 3}
    rows = re.findall(r'<tr data-dimension="(\w+)"><th scope="row">[^<]+</th><td>(\d+)%</td>'
                      r'<td class="ca-dimension-level">(\d)</td>', body["result_html"])
    result = expected_result(pack, answers)
    # the percentage is cut down, never rounded up (64.6 shows 64, beside level 1 when C1 is 65)
    assert [(d, int(percent), int(level)) for d, percent, level in rows] == [
        (d.id, math.floor(round(d.percent, 9)), expected[d.id]) for d in result.dimensions]
    # so with whole-number cuts the shown percentage alone gives the level shown beside it
    assert all(scoring.level_for(int(percent), pack.scoring.cut_scores) == int(level) for _d, percent, level in rows)
    assert learner.block(assessment).results[-1]["dimension_levels"] == expected


def test_a_learner_weak_in_one_dimension_sees_and_opens_its_lesson_first(learner, pack):
    _, assessment, gates = load_unit(learner)
    assert {name: gate_state(learner, gate) for name, gate in gates.items()} == dict.fromkeys(gates, "locked")
    locked = learner.render(learner.block(gates["talk"]))
    assert "Level 1 in “Communication” (part of “Customer service self-check”) opens this lesson." in locked
    status, body = submit(learner, assessment, weak_in(pack, WEAK))
    assert status == 200
    # the overall level is 3 (the basics stay shut); only communication is at level 1
    assert body["level"] == 3
    assert {name: gate_state(learner, gate) for name, gate in gates.items()} == {
        "talk": "open", "calm": "locked", "basics": "locked"}
    assert "Say what you can do." in learner.render(learner.block(gates["talk"]))
    html = body["result_html"]
    areas = html.index("Lessons for the areas to work on")
    assert areas < html.index("Your profile") and areas < html.index("Trainings and useful pages")
    area_list = re.search(r'<ul class="ca-area-lessons">(.*?)</ul>\s*</li>\s*</ul>', html, re.S).group(1)
    assert "Communication (level 1)" in area_list and ">Talk it through</a>" in area_list
    assert "Calm first" not in html and ">Basics</a>" not in html


def test_dimension_lessons_from_the_settings_are_listed_weakest_first(staff, learner, pack):
    block = staff.load("<competency_assessment/>")
    lessons = {WEAK: {"1": [{"title": "Listen first", "url": "/courses/c/jump_to_id/listen"}]},
               "tolerance": {"1": [{"title": "Keep calm", "url": "https://example.org/calm"}],
                             "3": [{"title": "Coach others", "url": "https://example.org/coach"}]}}
    status, _ = staff.call(block, "submit_studio_edits", {"values": {"dimension_follow_ups": lessons}, "defaults": []})
    assert status == 200
    answers = weak_in(pack, WEAK)
    worst = answer_set(pack, "worst")
    # tolerance weak too, but less so: only its situations are answered badly
    answers.update({item.id: worst[item.id] for item in pack.items
                    if item.dimension == "tolerance" and item.is_situational})
    result = expected_result(pack, answers)
    assert result.dimension(WEAK).percent < result.dimension("tolerance").percent < 50
    body = submit(learner, block.scope_ids.usage_id, answers)[1]
    listed = re.findall(r'<a href="([^"]+)">(Listen first|Keep calm|Coach others)</a>', body["result_html"])
    assert listed == [("/courses/c/jump_to_id/listen", "Listen first"), ("https://example.org/calm", "Keep calm")]


def test_a_gate_naming_an_unknown_dimension_is_reported_and_opens_for_nobody(staff, learner, pack):
    root = learner.load('<vertical_demo><competency_assessment/>'
                        '<competency_gate dimension="charisma" levels="[1, 2, 3]"><html_demo><![CDATA[<p>Secret</p>]]>'
                        '</html_demo></competency_gate></vertical_demo>')
    assessment, gate = root.children
    assert submit(learner, assessment, answer_set(pack, "worst"))[0] == 200
    html = learner.render(learner.block(gate))
    assert 'data-state="unavailable"' in html and "Secret" not in html
    messages = [m.text for m in staff.block(gate).validate().messages]
    assert any('"charisma" is not a dimension' in text and "communication" in text for text in messages)
    staff_html = staff.render(staff.block(gate))
    assert '&quot;charisma&quot; is not a dimension' in staff_html


def test_a_gate_with_no_level_chosen_is_reported(staff):
    root = staff.load(f'<vertical_demo><competency_assessment/><competency_gate dimension="{WEAK}" levels="[]"/>'
                      '</vertical_demo>')
    messages = [m.text for m in staff.block(root.children[1]).validate().messages]
    assert "Choose at least one level that opens this gate." in messages


def test_gate_dimension_round_trips_in_olx(staff):
    root = staff.load(unit_xml())
    out = io.BytesIO()
    staff.runtime.export_to_xml(root, out)
    exported = out.getvalue()
    assert f'dimension="{WEAK}"'.encode() in exported and b'dimension="tolerance"' in exported
    again = staff.load(exported)
    assert [staff.block(child).dimension for child in again.children[1:]] == [WEAK, "tolerance", ""]


# ----- self-view ---------------------------------------------------------------------------------

def test_the_result_points_out_a_self_view_above_the_situations(learner, pack):
    # the best self-ratings, the worst situational answers: the gap is as large as it gets
    best, worst = answer_set(pack, "best"), answer_set(pack, "worst")
    answers = {item.id: worst[item.id] if item.is_situational else best[item.id] for item in pack.items}
    _, assessment, _ = load_unit(learner)
    body = submit(learner, assessment, answers)[1]
    gaps = self_view.gaps(expected_result(pack, answers))
    assert all(gap > self_view.GAP_THRESHOLD for gap in gaps.values())
    html = body["result_html"]
    assert html.count("You rate yourself higher than your answers to the situations suggest.") == len(pack.dimensions)
    for gap in gaps.values():
        assert f"<td>+{round(gap)}</td>" in html
    # never used for the level: the level is that of the answers alone
    assert body["level"] == expected_result(pack, answers).level


def test_aligned_answers_raise_no_self_view_remark(learner, pack):
    _, assessment, _ = load_unit(learner)
    html = submit(learner, assessment, answer_set(pack, "best"))[1]["result_html"]
    assert "You rate yourself higher" not in html and "Your self-view matches the situations." in html


# ----- the retake wait ---------------------------------------------------------------------------

def state(block):
    return json.dumps({"answers": block.answers, "results": block.results, "raw_score": block.raw_score},
                      sort_keys=True)


def test_a_retake_before_the_wait_is_refused_naming_the_date_and_changes_nothing(learner, pack):
    _, assessment, _ = load_unit(learner, 'retake_wait_days="7"')
    assert submit(learner, assessment, answer_set(pack, "worst"))[0] == 200
    block = learner.block(assessment)
    opens = datetime.fromisoformat(block.results[-1]["submitted_at"]) + timedelta(days=7)
    before = state(block)
    status, body = submit(learner, assessment, answer_set(pack, "best"))
    assert status == 403
    assert body["error"] == f"You can retake the assessment from {opens:%Y-%m-%d %H:%M} (UTC)."
    assert state(learner.block(assessment)) == before
    assert learner.call(learner.block(assessment), "question_form", {})[0] == 403
    html = learner.render(learner.block(assessment))
    assert f"You can retake the assessment from {opens:%Y-%m-%d %H:%M} (UTC)." in html
    assert 'class="ca-retake"' not in html and "ca-invitation" not in html


def test_after_the_wait_the_result_invites_a_retake_at_its_top(learner, pack):
    _, assessment, _ = load_unit(learner, 'retake_wait_days="7"')
    assert submit(learner, assessment, answer_set(pack, "worst"))[0] == 200
    block = learner.block(assessment)
    eight_days_ago = (datetime.now(timezone.utc) - timedelta(days=8)).isoformat()
    block.results = [{**block.results[0], "submitted_at": eight_days_ago}]
    block.save()
    html = learner.render(learner.block(assessment))
    assert "The wait before a retake is over." in html
    assert html.index("ca-invitation") < html.index("Your result")
    status, body = submit(learner, assessment, answer_set(pack, "best"))
    assert status == 200 and len(learner.block(assessment).results) == 2
    assert "The wait before a retake is over." not in body["result_html"]   # a new wait starts


def test_completing_every_opened_lesson_invites_a_retake(learner, pack):
    _, assessment, gates = load_unit(learner)
    body = submit(learner, assessment, answer_set(pack, "worst"))[1]
    assert "ca-invitation" not in body["result_html"]
    opened = [gates[name] for name in ("talk", "calm", "basics")]        # all three open at level 1
    assert all(gate_state(learner, gate) == "open" for gate in opened)
    completion = DemoCompletionService()
    completion.runtime = learner.runtime
    children = [child for gate in opened for child in learner.block(gate).children]
    for child in children[:-1]:
        completion.submit_completion(child, 1.0)
    assert "ca-invitation" not in learner.render(learner.block(assessment))  # one lesson still open
    completion.submit_completion(children[-1], 1.0)
    html = learner.render(learner.block(assessment))
    assert "You have completed every lesson opened for you." in html
    assert html.index("ca-invitation") < html.index("Your result")
    # another learner's completions are theirs
    other = Learner("someone-else")
    submit(other, assessment, answer_set(pack, "worst"))
    assert "ca-invitation" not in other.render(other.block(assessment))


# ----- growth ------------------------------------------------------------------------------------

def test_a_second_attempt_shows_the_change_per_dimension(learner, pack):
    _, assessment, _ = load_unit(learner)
    first_answers, second_answers = weak_in(pack, WEAK), answer_set(pack, "best")
    assert "Your growth" not in submit(learner, assessment, first_answers)[1]["result_html"]
    html = submit(learner, assessment, second_answers)[1]["result_html"]
    first, second = expected_result(pack, first_answers), expected_result(pack, second_answers)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)%</td><td>(\d+)%</td><td class="ca-change">([^<]+)</td>',
                      html)
    assert len(rows) == len(pack.dimensions)
    for dimension, (name, before, after, change) in zip(pack.dimensions, rows):
        assert name == dimension.name["en"]
        assert int(before) == round(first.dimension(dimension.id).percent)
        assert int(after) == round(second.dimension(dimension.id).percent)
        delta = round(second.dimension(dimension.id).percent - first.dimension(dimension.id).percent)
        assert change == (f"+{delta}" if delta > 0 else str(delta))
    chart = re.search(r'<svg[^>]*aria-labelledby="ca-growth-title".*?</svg>', html, re.S).group(0)
    assert chart.count("ca-growth-first") == chart.count("ca-growth-latest") == len(pack.dimensions)


# ----- staff -------------------------------------------------------------------------------------

def random_answers(rng, pack, good_share):
    answers = {}
    for item in pack.items:
        if item.is_situational:
            ranked = sorted(item.options, key=lambda option: option.points)
            answers[item.id] = (ranked[-1] if rng.random() < good_share else rng.choice(ranked)).id
        else:
            answers[item.id] = rng.randint(SCALE_MIN, SCALE_MAX)
    return answers


@pytest.fixture
def growing_cohort(staff, pack):
    """Three learners with two attempts (better the second time), one with one."""
    rng = random.Random(15)
    usage_id = staff.load("<competency_assessment/>").scope_ids.usage_id
    attempts = {}
    for user in ("g1", "g2", "g3", "solo"):
        learner = Learner(user)
        attempts[user] = [random_answers(rng, pack, 0.2)] + ([random_answers(rng, pack, 0.9)] if user != "solo" else [])
        for answers in attempts[user]:
            assert submit(learner, usage_id, answers)[0] == 200
    return usage_id, attempts


def expected_changes(pack, attempts):
    changes = {dimension.id: [] for dimension in pack.dimensions}
    for runs in attempts.values():
        if len(runs) > 1:
            first, latest = expected_result(pack, runs[0]), expected_result(pack, runs[-1])
            for dimension in pack.dimensions:
                changes[dimension.id].append(latest.dimension(dimension.id).percent
                                             - first.dimension(dimension.id).percent)
    return changes


def test_staff_see_cohort_growth_with_t_intervals_and_managers_tips(staff, pack, growing_cohort):
    usage_id, attempts = growing_cohort
    t975_df2 = next(case["t975"] for case in SCIPY["intervals"] if case["n"] == 3)   # SciPy's t(0.975, 2)
    status, body = staff.call(staff.block(usage_id), "staff_figures", {})
    assert status == 200
    html = body["html"]
    table = re.search(r'<table class="ca-staff-growth">.*?</table>', html, re.S).group(0)
    for dimension, changes in zip(pack.dimensions, expected_changes(pack, attempts).values()):
        mean, half = pystats.mean(changes), t975_df2 * pystats.stdev(changes) / 3 ** 0.5
        row = (f'<tr><th scope="row">{dimension.name["en"]}</th><td>3</td><td>{mean:+.1f}</td>'
               f'<td>{mean - half:+.1f} … {mean + half:+.1f}</td></tr>')
        assert row in table, (row, table)
    # managers' tips for the two weakest dimensions of the counted attempts
    means = {}
    for user, runs in attempts.items():
        counted = max((expected_result(pack, answers) for answers in runs), key=lambda r: round(r.overall, 2))
        for dimension in counted.dimensions:
            means.setdefault(dimension.id, []).append(dimension.percent)
    weakest = sorted(means, key=lambda key: pystats.mean(means[key]))[:2]
    tips = re.findall(r'<section class="ca-staff-manager-tips"><h5>([^<]+)</h5>', html)
    assert tips == [pack.dimension(key).name["en"] for key in weakest]
    for key in weakest:
        assert pack.dimension(key).manager_tips["en"][0].replace("'", "&#x27;") in html


def test_growth_reaches_the_csv_and_the_report_rows(staff, pack, growing_cohort):
    usage_id, attempts = growing_cohort
    assert staff.call(staff.block(usage_id), "staff_figures", {})[0] == 200  # the job keeps the figures
    status, body = staff.call(staff.block(usage_id), "staff_statistics_csv", b"", method="GET")
    assert status == 200
    rows = list(csv.reader(io.StringIO(body)))
    growth_rows = {row[1]: row for row in rows if row and row[0] == "growth"}
    changes = expected_changes(pack, attempts)
    for dimension_id, values in changes.items():
        row = growth_rows[dimension_id]
        assert int(row[2]) == 3 and float(row[3]) == pytest.approx(pystats.mean(values), abs=1e-6)
        assert float(row[4]) < float(row[3]) < float(row[5])
    # Open edX's problem responses report: each learner's change since the first attempt
    from competency_xblock.platform.workbench_store import WorkbenchUserStateClient
    block = staff.block(usage_id)
    report = dict(block.generate_report_data(WorkbenchUserStateClient().iter_all_for_block(usage_id)))
    column = "Communication: change since the first attempt (points)"
    for user in ("g1", "g2", "g3"):
        first, latest = (expected_result(pack, attempts[user][i]) for i in (0, -1))
        assert report[user][column] == round(latest.dimension(WEAK).percent - first.dimension(WEAK).percent, 1)
    assert report["solo"][column] == ""


def test_studio_offers_the_followed_assessments_dimensions_for_a_gate(staff, pack):
    root = staff.load(unit_xml())
    html = staff.render(staff.block(root.children[1]), "studio_view")
    for dimension in pack.dimensions:
        assert f'value="{dimension.id}"' in html
    assert "The overall level" in html
