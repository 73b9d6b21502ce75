"""
The staff view and its CSV, checked against figures computed by hand on a small cohort.

Five learners answer the test pack ``mini`` (two dimensions of three items) through the
handlers; the item points below follow from their answers and the pack's key
(situational: the option's points; self-rating x: x - 1, reverse-keyed 5 - x).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import statistics as pystats
import sys
import types

import pytest
import webob

from competency_xblock.platform import cohort_jobs, openedx_platform
from competency_xblock.platform.workbench_store import WorkbenchUserStateClient
from competency_xblock.domain.pack_library import PackLibrary

from .conftest import PACKS
from .workbench import Learner

XML = '<competency_assessment pack_id="mini" retake_policy="{policy}"/>'

COHORT = {  # learner: answers
    "u1": {"l_scene": "b", "l_self": 5, "l_interrupt": 4, "c_scene": "a", "c_scene2": "b", "c_self": 1},
    "u2": {"l_scene": "c", "l_self": 3, "l_interrupt": 1, "c_scene": "a", "c_scene2": "a", "c_self": 3},
    "u3": {"l_scene": "a", "l_self": 2, "l_interrupt": 2, "c_scene": "b", "c_scene2": "c", "c_self": 5},
    "u4": {"l_scene": "b", "l_self": 4, "l_interrupt": 4, "c_scene": "a", "c_scene2": "b", "c_self": 2},
    "u5": {"l_scene": "c", "l_self": 4, "l_interrupt": 3, "c_scene": "b", "c_scene2": "a", "c_self": 4},
}
WORST = {"l_scene": "a", "l_self": 1, "l_interrupt": 5, "c_scene": "b", "c_scene2": "c", "c_self": 5}
# Points per learner (u1..u5), worked out from the answers above.
POINTS = {
    "listening": {"l_scene": [3, 1, 0, 3, 1], "l_self": [4, 2, 1, 3, 3], "l_interrupt": [1, 4, 3, 1, 2]},
    "calm": {"c_scene": [3, 3, 0, 3, 0], "c_scene2": [3, 2, 0, 3, 2], "c_self": [4, 2, 0, 3, 1]},
}
MAX_POINTS = {"l_scene": 3, "l_self": 4, "l_interrupt": 4, "c_scene": 3, "c_scene2": 3, "c_self": 4}
# Dimension percents: 0.7 * situational share + 0.3 * self-rating share; overall weights calm twice.
# u1: listening 0.7 + 0.3 * 5/8 = 88.75, calm 100, overall 96.25 -> level 3
# u2: 0.7/3 + 0.3 * 6/8 = 45.83, calm 0.7 * 5/6 + 0.3 * 2/4 = 73.33, overall 64.17 -> level 2
# u3: 15.0, 0.0, overall 5.0 -> level 1;  u4: 85.0, 92.5, overall 90.0 -> level 3
# u5: 42.08, 30.83, overall 34.58 -> level 1
LEVELS = {"1": 2, "2": 1, "3": 2}
MEANS = {"listening": (88.75 + 45.8333 + 15 + 85 + 42.0833) / 5, "calm": (100 + 73.3333 + 0 + 92.5 + 30.8333) / 5}
OVERALL_MEAN = (96.25 + 64.1667 + 5 + 90 + 34.5833) / 5  # 58.0


@pytest.fixture
def mini_library(monkeypatch):
    """The test packs, for the block and for the cohort figures' job (both read ``pack_sources``)."""
    monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library", lambda: PackLibrary(PACKS))


def submit(user: str, usage_id, answers) -> tuple[int, dict]:
    learner = Learner(user)
    return learner.call(learner.block(usage_id), "submit", {"answers": answers})


@pytest.fixture
def cohort(db, mini_library):
    """The five learners submitted; u2 first failed everything, then retook."""
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="best")).scope_ids.usage_id
    assert submit("u2", usage_id, WORST)[0] == 200
    for user, answers in COHORT.items():
        status, body = submit(user, usage_id, answers)
        assert status == 200, body
    return staff, usage_id


def staff_html(staff, usage_id) -> str:
    """The cohort figures' HTML, as the staff shell's button gets them (the job runs eagerly in tests)."""
    status, body = staff.call(staff.block(usage_id), "staff_figures", {})
    assert status == 200, body
    assert body["state"] == "done", body
    return body["html"]


def download(learner, usage_id):
    """The CSV of the kept figures."""
    return learner.call(learner.block(usage_id), "staff_statistics_csv", b"", method="GET")


def fresh_csv(staff, usage_id):
    """Press the button (the job works the figures out), then download the CSV."""
    staff_html(staff, usage_id)
    return download(staff, usage_id)


def cell(html: str, row_marker: str, cell_class: str) -> str:
    row = re.search(rf"<tr {row_marker}.*?</tr>", html, re.S).group(0)
    return re.search(rf'<td class="{cell_class}">([^<]*)</td>', row).group(1)


# Points of each item's dimension score per point, as learners see it: situational items
# share 70 of 100 by their maximum points, self-ratings 30 (self-assessment weight 0.3).
DIMENSION_WEIGHTS = {"l_scene": 70 / 3, "l_self": 30 / 8, "l_interrupt": 30 / 8,
                     "c_scene": 70 / 6, "c_scene2": 70 / 6, "c_self": 30 / 4}


def weighted(item_id, values, weights=DIMENSION_WEIGHTS):
    return [weights[item_id] * value for value in values]


def expected_item_figures(weights=DIMENSION_WEIGHTS):
    """p and corrected item-total r (r.drop) against the rest of the weighted dimension score,
    computed with Python's own statistics module."""
    figures = {}
    for items in POINTS.values():
        totals = [sum(values) for values in zip(*(weighted(i, v, weights) for i, v in items.items()))]
        for item_id, values in items.items():
            rest = [total - value for total, value in zip(totals, weighted(item_id, values, weights))]
            figures[item_id] = (sum(values) / (len(values) * MAX_POINTS[item_id]), pystats.correlation(values, rest))
    return figures


def expected_alpha_sem(dimension, weights=DIMENSION_WEIGHTS):
    """Alpha and SEM of the weighted dimension score, with sample variances (as R's psych)."""
    items = {item_id: weighted(item_id, values, weights) for item_id, values in POINTS[dimension].items()}
    totals = [sum(values) for values in zip(*items.values())]
    k, variance = len(items), pystats.variance(totals)
    alpha = k / (k - 1) * (1 - sum(pystats.variance(v) for v in items.values()) / variance)
    return alpha, math.sqrt(variance) * math.sqrt(1 - alpha)


def test_expected_figures_are_the_hand_computed_ones():
    # the weighted totals are the dimension percents the learners were shown (see above)
    listening = [sum(values) for values in zip(*(weighted(i, v) for i, v in POINTS["listening"].items()))]
    assert listening == pytest.approx([88.75, 45.8333, 15.0, 85.0, 42.0833], abs=1e-3)
    # the independent computation agrees with working by hand (raw points: every weight 1)
    raw = dict.fromkeys(DIMENSION_WEIGHTS, 1)
    figures = expected_item_figures(raw)
    assert figures["l_scene"][0] == pytest.approx(8 / 15) and figures["c_self"][0] == pytest.approx(0.5)
    # c_scene against the rest of calm (7, 4, 0, 6, 3): cov 3.0 / sqrt(2.16 * 6.0) = 3 / 3.6
    assert figures["c_scene"][1] == pytest.approx(5 / 6)
    # listening: population item variances 1.44 + 1.04 + 1.36 = 3.84, total 1.84; samples * 5/4
    assert expected_alpha_sem("listening", raw) == pytest.approx((1.5 * (1 - 3.84 / 1.84), math.sqrt(2.2 ** 2 * 5 / 4)))
    # calm: 2.16 + 1.2 + 2.0 = 5.36 over 14.16
    assert expected_alpha_sem("calm", raw) == pytest.approx((1.5 * (1 - 5.36 / 14.16), math.sqrt(0.96 * 5 / 4)))


def test_staff_view_shows_the_cohort_figures(cohort):
    staff, usage_id = cohort
    html = staff_html(staff, usage_id)
    assert "5 learners have submitted." in html
    assert f"Mean overall score: {OVERALL_MEAN:.1f}%" in html
    for level, count in LEVELS.items():
        assert re.search(rf'<tr data-level="{level}"><th scope="row">{level}: \w+</th><td>{count}</td>', html)
    assert 'data-level="none"' not in html  # every learner reached a level
    assert f"<th scope=\"row\">Listening</th><td>{MEANS['listening']:.1f}%</td>" in html
    assert f"<th scope=\"row\">Calm</th><td>{MEANS['calm']:.1f}%</td>" in html
    for item_id, (p, r) in expected_item_figures().items():
        assert cell(html, f'data-item="{item_id}"', "ca-staff-p") == f"{p:.2f}"
        assert cell(html, f'data-item="{item_id}"', "ca-staff-r") == f"{r:.2f}"
    alphas = re.findall(r'<td class="ca-staff-alpha">([^<]*)</td><td class="ca-staff-sem">([^<]*)</td>', html)
    assert alphas == [(f"{a:.2f}", f"{s:.2f}") for a, s in map(expected_alpha_sem, ["listening", "calm"])]
    assert "<svg" in html and html.count('class="ca-staff-chart-bar') == 3


def test_weak_items_and_dimensions_are_flagged(cohort):
    staff, usage_id = cohort
    html = staff_html(staff, usage_id)
    for item_id, (p, r) in expected_item_figures().items():
        row = re.search(rf'<tr data-item="{item_id}".*?</tr>', html, re.S).group(0)
        assert ("Weak discrimination" in row) == (r < 0.20), item_id
        assert "Too easy" not in row and "Too hard" not in row  # every p lies in .20-.90
    assert html.count("Low reliability: alpha below 0.60.") == 1  # listening, alpha < 0; calm 0.93


def test_csv_download_has_the_same_figures(cohort):
    staff, usage_id = cohort
    status, text = fresh_csv(staff, usage_id)
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(text)))
    by_key = {(row["type"], row["id"]): row for row in rows}
    assert by_key[("overall", "")]["responses"] == "5"
    assert float(by_key[("overall", "")]["mean_percent"]) == pytest.approx(OVERALL_MEAN, abs=1e-3)
    assert {key: int(by_key[("level", key)]["responses"]) for key in LEVELS} == LEVELS
    for item_id, (p, r) in expected_item_figures().items():
        row = by_key[("item", item_id)]
        assert (float(row["p"]), float(row["item_total_r"])) == pytest.approx((p, r), abs=1e-6)
    for dimension in POINTS:
        row = by_key[("dimension", dimension)]
        assert (float(row["alpha"]), float(row["sem"])) == pytest.approx(expected_alpha_sem(dimension), abs=1e-6)
        assert float(row["mean_percent"]) == pytest.approx(MEANS[dimension], abs=1e-3)
    assert by_key[("dimension", "listening")]["warnings"] == "low_reliability"


def test_csv_is_a_download(cohort):
    staff, usage_id = cohort
    status, body = download(staff, usage_id)
    assert status == 404 and "press Show the cohort figures first" in body["error"]  # nothing kept yet
    staff_html(staff, usage_id)
    response = staff.runtime.handle(staff.block(usage_id), "staff_statistics_csv", webob.Request.blank("/"))
    assert response.content_type == "text/csv"
    assert response.content_disposition == 'attachment; filename="mini-statistics.csv"'


def test_learners_get_403_and_no_staff_section(cohort):
    _, usage_id = cohort
    learner = Learner("u1")
    status, body = download(learner, usage_id)
    assert status == 403 and "Only course staff" in body["error"]
    # a request cannot make anyone staff
    request = webob.Request.blank("/?student=staff&user_is_staff=true&staff=1")
    response = learner.runtime.handle(learner.block(usage_id), "staff_statistics_csv", request)
    assert response.status_code == 403
    assert "ca-staff" not in learner.render(learner.block(usage_id))


class CountingClient:
    """A user state client that counts the reads and then reads the workbench's table."""

    def __init__(self):
        self.reads = 0

    def iter_all_for_block(self, block_key, scope=None):
        self.reads += 1
        return WorkbenchUserStateClient().iter_all_for_block(block_key, scope)


def test_the_staff_view_renders_a_shell_and_reads_no_learner_state(cohort, monkeypatch):
    staff, usage_id = cohort
    client = CountingClient()
    monkeypatch.setattr(cohort_jobs, "user_state_client", lambda: client)  # what the job reads through
    html = staff.render(staff.block(usage_id))
    assert client.reads == 0, "rendering the unit read the learners' states"
    shell = html[html.index('<section class="ca-staff"'):]
    assert "Cohort results (staff only)" in shell
    assert re.search(r'<button type="button" class="ca-staff-show">Show the cohort figures</button>', shell)
    assert re.search(r'<div class="ca-staff-figures" aria-live="polite"></div>', shell)
    assert "learners have submitted" not in html and "ca-staff-levels" not in html and "ca-staff-csv" not in html
    # the button's job does read them, once; the status the shell asks for on load reads none
    assert "5 learners have submitted." in staff_html(staff, usage_id)
    assert client.reads == 1
    status, body = staff.call(staff.block(usage_id), "staff_figures_status", b"", method="GET")
    assert status == 200 and "5 learners have submitted." in body["html"] and client.reads == 1


def test_the_shell_renders_without_any_user_state_client(cohort):
    staff, usage_id = cohort
    del staff.runtime._services["user_state_client"]
    html = staff.render(staff.block(usage_id))
    assert "Show the cohort figures" in html and "not available" not in html


def test_staff_figures_start_on_post_only_and_the_status_answers_get_and_post(cohort):
    staff, usage_id = cohort
    status, body = staff.call(staff.block(usage_id), "staff_figures", b"", method="GET")
    assert status == 405 and "POST" in body["error"]
    for method in ("GET", "POST"):
        status, body = staff.call(staff.block(usage_id), "staff_figures_status", b"" if method == "GET" else {},
                                  method=method)
        assert (status, body["state"], body["html"], body["kept"]) == (200, "none", "", False)  # nothing started
    html = staff_html(staff, usage_id)
    assert "5 learners have submitted." in html and 'class="ca-staff-csv"' in html
    assert html.lstrip().startswith("<h4"), "the figures start with the heading the button moves the focus to"


def test_learners_get_no_shell_and_403_from_staff_figures(cohort):
    _, usage_id = cohort
    learner = Learner("u1")
    html = learner.render(learner.block(usage_id))
    assert "ca-staff" not in html and "Show the cohort figures" not in html
    staff_html(Learner("staff"), usage_id)  # figures are kept: a learner still gets none of them
    for handler in ("staff_figures", "staff_figures_status", "staff_statistics_csv"):
        for method in ("GET", "POST"):
            status, body = learner.call(learner.block(usage_id), handler, {}, method=method)
            assert status == 403 and "Only course staff" in body["error"], handler
            assert "learners have submitted" not in json.dumps(body)


def test_staff_figures_answer_503_when_the_pack_cannot_be_loaded(cohort):
    staff, usage_id = cohort
    block = staff.block(usage_id)
    block.pack_id = "no_such_pack"  # removed from the library after learners answered
    block.save()
    status, body = staff.call(staff.block(usage_id), "staff_figures", {})
    assert status == 503 and body["error"] == "This assessment is not available right now."


def counted_figures(csv_text: str) -> str:
    """The CSV's statistics of the counted attempts: everything before the growth rows."""
    return csv_text.split("type,dimension,learners,mean_change")[0]


def test_retake_replaces_the_learners_contribution(cohort):
    staff, usage_id = cohort
    before = counted_figures(fresh_csv(staff, usage_id)[1])
    # best policy: a worse retake leaves the counted attempt, and the figures, as they were
    # (the growth rows at the end do change: u1 now has two attempts)
    assert submit("u1", usage_id, WORST)[0] == 200
    after = fresh_csv(staff, usage_id)[1]
    assert counted_figures(after) == before
    assert after != counted_figures(after) and "growth," in after
    assert "5 learners have submitted." in staff_html(staff, usage_id)


def test_latest_policy_counts_the_latest_attempt(db, mini_library):
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="latest")).scope_ids.usage_id
    submit("u1", usage_id, COHORT["u1"])
    submit("u1", usage_id, WORST)
    html = staff_html(staff, usage_id)
    assert "1 learner has submitted." in html
    assert re.search(r'<tr data-level="1"><th scope="row">1: \w+</th><td>1</td>', html)
    assert re.search(r'<tr data-level="3"><th scope="row">3: \w+</th><td>0</td>', html)


def test_rescore_after_a_cut_score_change_moves_learners(cohort):
    staff, usage_id = cohort
    block = staff.block(usage_id)
    block.cut_scores = [10, 20]
    block.save()
    for user in COHORT:
        learner_block = Learner(user).block(usage_id)
        learner_block.rescore(only_if_higher=False)
        learner_block.save()
    html = staff_html(staff, usage_id)
    # only u3 (overall 5) stays below 10; everyone else is at 20 or more
    assert re.search(r'<tr data-level="1"><th scope="row">1: \w+</th><td>1</td>', html)
    assert re.search(r'<tr data-level="3"><th scope="row">3: \w+</th><td>4</td>', html)
    assert "5 learners have submitted." in html


def test_no_responses_give_not_enough_data(db, mini_library):
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="best")).scope_ids.usage_id
    html = staff_html(staff, usage_id)
    assert "0 learners have submitted." in html and "Mean overall score" not in html
    assert html.count("nobody has answered this yet") == 6
    assert html.count("fewer than 5 complete responses") == 6 + 2  # every r, both alphas
    status, text = fresh_csv(staff, usage_id)
    assert status == 200 and "no_responses" in text


def test_one_response_gives_not_enough_data(db, mini_library):
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="best")).scope_ids.usage_id
    submit("u1", usage_id, COHORT["u1"])
    html = staff_html(staff, usage_id)
    assert "1 learner has submitted." in html
    assert html.count('<td class="ca-staff-p">–</td>') == 6
    assert html.count('<td class="ca-staff-alpha">–</td>') == 2
    assert "Not enough data: fewer than 5 complete responses." in html


def test_identical_answers_give_zero_variance(db, mini_library):
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="best")).scope_ids.usage_id
    for user in COHORT:
        submit(user, usage_id, COHORT["u4"])
    html = staff_html(staff, usage_id)
    assert html.count('<td class="ca-staff-r">–</td>') == 6
    assert html.count('<td class="ca-staff-alpha">–</td>') == 2
    assert "every learner scored the same" in html
    assert cell(html, 'data-item="c_scene"', "ca-staff-p") == "1.00"  # and p is still given
    assert "Too easy" in html


def test_changed_questions_are_counted_from_everyones_saved_answers(cohort):
    staff, usage_id = cohort
    block = staff.block(usage_id)
    block.item_overrides = {"disabled": ["c_self"]}  # switched off in Studio after learners answered
    block.save()
    html = staff_html(staff, usage_id)
    # every learner still counts, scored on the questions asked today; c_self is gone from the table
    assert "5 learners have submitted." in html and 'data-item="c_self"' not in html
    assert cell(html, 'data-item="c_scene"', "ca-staff-p") == f"{sum(POINTS['calm']['c_scene']) / 15:.2f}"


def test_figures_need_the_runtimes_user_state_client(cohort):
    staff, usage_id = cohort
    del staff.runtime._services["user_state_client"]  # a runtime without one (and not the LMS)
    for handler, payload, method in [("staff_figures", {}, "POST"), ("staff_figures_status", b"", "GET"),
                                     ("staff_statistics_csv", b"", "GET")]:
        status, body = staff.call(staff.block(usage_id), handler, payload, method=method)
        assert status == 503 and "Cohort figures are not available here" in body["error"], handler


class StandInLmsClient:
    """Stands in for the LMS's DjangoXBlockUserStateClient (the LMS cannot run here)."""

    states: list = []

    def iter_all_for_block(self, block_key, scope=None):
        return iter([state for state in self.states if state.block_key == block_key])


def test_in_the_lms_the_figures_come_from_its_user_state_client(cohort, monkeypatch):
    staff, usage_id = cohort
    module = types.ModuleType("stand_in_user_state_client")
    module.DjangoXBlockUserStateClient = StandInLmsClient
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(openedx_platform, "USER_STATE_CLIENT", (module.__name__, "DjangoXBlockUserStateClient"))
    # the LMS's records, copied from what the workbench stored for u1 and u3
    copied = [state for state in WorkbenchUserStateClient().iter_all_for_block(usage_id)
              if state.username in ("u1", "u3")]
    odd = [copied[0]._replace(username=name, state=state) for name, state in [
        ("x1", {"results": "nonsense"}), ("x2", None), ("x3", {"results": [42, {"answers": 7, "level": 3}]})]]
    monkeypatch.setattr(StandInLmsClient, "states", copied + odd)
    del staff.runtime._services["user_state_client"]
    html = staff_html(staff, usage_id)
    # x3's one odd attempt counts, rescored from no valid answers: no level
    assert "3 learners have submitted." in html
    assert re.search(r'<tr data-level="none"><th scope="row">[^<]+</th><td>1</td>', html)
    assert re.search(r'<tr data-level="1"><th scope="row">1: \w+</th><td>1</td>', html)
    assert re.search(r'<tr data-level="3"><th scope="row">3: \w+</th><td>1</td>', html)


def test_outside_the_lms_there_is_no_platform_client():
    assert openedx_platform.user_state_client() is None


def test_an_item_everyone_answered_alike_is_left_out_of_alpha_with_a_warning(db, mini_library):
    staff = Learner("staff")
    usage_id = staff.load(XML.format(policy="best")).scope_ids.usage_id
    for user, answers in COHORT.items():
        assert submit(user, usage_id, {**answers, "c_self": 3})[0] == 200   # c_self: 2 points for everyone
    html = staff_html(staff, usage_id)
    assert "left out of alpha and SEM" in html
    # calm's alpha is that of its two varying items, as psych::alpha gives it after dropping c_self
    items = {item_id: weighted(item_id, POINTS["calm"][item_id]) for item_id in ("c_scene", "c_scene2")}
    totals = [a + b for a, b in zip(*items.values())]
    alpha = 2 * (1 - sum(pystats.variance(v) for v in items.values()) / pystats.variance(totals))
    calm_rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">Calm</th>.*?</tr>", html, re.S)
    assert any(f'<td class="ca-staff-alpha">{alpha:.2f}</td>' in row and "left out of alpha" in row for row in calm_rows)
