"""
Tests of competency_xblock.domain.statistics against direct computations over raw responses.
"""
import ast
import copy
import csv
import io
import json
import math
import random
import statistics as pystats
import subprocess
import sys
from fractions import Fraction
from functools import reduce
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency_xblock.domain import statistics as stats

ROOT = Path(__file__).resolve().parents[1]
THRESHOLD_CODES = {  # code -> (figure, threshold); skipped when exact value sits on it
    "too_easy": ("p", stats.P_MAX), "too_hard": ("p", stats.P_MIN),
    "low_discrimination": ("item_total_r", stats.R_MIN), "low_reliability": ("alpha", stats.ALPHA_MIN),
}


# ---------------------------------------------------------------- helpers

def build(responses, items):
    return reduce(lambda s, r: stats.add_response(s, r, items), responses, stats.empty_summary())


def response(points, level=None, overall=None, dimensions=None):
    return {"level": level, "overall": overall, "dimensions": dimensions or {}, "items": points}


def pearson(xs, ys):
    """Direct Pearson r over two equal-length lists, None if either is constant."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return float(sxy) / math.sqrt(sxx * syy)


def reference(responses, items, dimensions):
    """The documented report, computed directly (in Fractions) from the raw responses."""
    def value(r, item_id):
        v = r["items"].get(item_id)
        return None if v is None else Fraction(v)

    by_dim = {}
    for item_id, meta in items.items():
        by_dim.setdefault(meta["dimension"], []).append(item_id)
    complete = {d: [[value(r, i) for i in ids] for r in responses
                    if all(value(r, i) is not None for i in ids)] for d, ids in by_dim.items()}
    out = {
        "learners": len(responses),
        "levels": {key: sum(1 for r in responses if str(r["level"]).lower() == key)
                   for key in stats.LEVEL_KEYS},
        "dimension_means": {}, "items": [], "dimensions": [],
    }
    overall = [r["overall"] for r in responses if r["overall"] is not None]
    out["overall_mean"] = pystats.fmean(overall) if overall else None
    for d in dimensions:
        vals = [r["dimensions"][d] for r in responses if r["dimensions"].get(d) is not None]
        out["dimension_means"][d] = pystats.fmean(vals) if vals else None
    for item_id, meta in items.items():
        warnings, p, r = [], None, None
        answered = [value(x, item_id) for x in responses if value(x, item_id) is not None]
        if not answered:
            warnings.append("no_responses")
        elif len(answered) < stats.MIN_RESPONSES:
            warnings.append("not_enough_data")
        else:
            p = pystats.mean(answered) / meta["max"]
            warnings += ["too_hard"] if p < stats.P_MIN else ["too_easy"] if p > stats.P_MAX else []
        ids, rows = by_dim[meta["dimension"]], complete[meta["dimension"]]
        if len(rows) < stats.MIN_RESPONSES or len(ids) < 2:
            warnings.append("not_enough_data")
        else:
            col = ids.index(item_id)
            r = pearson([row[col] for row in rows], [sum(row) - row[col] for row in rows])
            if r is None:
                warnings.append("zero_variance")
            elif r < stats.R_MIN:
                warnings.append("low_discrimination")
        out["items"].append({"id": item_id, "dimension": meta["dimension"],
                             "responses": len(answered), "p": p, "item_total_r": r,
                             "warnings": list(dict.fromkeys(warnings))})
    for d in dimensions:
        ids, rows = by_dim.get(d, []), complete.get(d, [])
        warnings, alpha, sem, sem_percent = [], None, None, None
        if len(rows) < stats.MIN_RESPONSES or len(ids) < 2:
            warnings.append("not_enough_data")
        else:
            # As R's psych::alpha: items nobody varies on are left out; sample variances (n - 1).
            varying = [c for c in range(len(ids)) if pystats.variance([row[c] for row in rows]) > 0]
            if varying and len(varying) < len(ids):
                warnings.append("zero_variance_items_left_out")
            k = len(varying)
            var_total = pystats.variance([sum(row) for row in rows])
            if var_total == 0:
                warnings.append("zero_variance")
            elif k < 2:
                warnings.append("not_enough_data")
            else:
                item_vars = sum(pystats.variance([row[c] for row in rows]) for c in varying)
                alpha = Fraction(k, k - 1) * (1 - item_vars / var_total)
                sem = math.sqrt(var_total) * math.sqrt(1 - alpha)
                sem_percent = 100 * sem / sum(items[i]["max"] for i in ids)
                warnings += ["low_reliability"] if alpha < stats.ALPHA_MIN else []
        out["dimensions"].append({"id": d, "k": len(ids), "complete_responses": len(rows),
                                  "alpha": alpha, "sem": sem, "sem_percent": sem_percent,
                                  "warnings": warnings})
    return out


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)


def assert_same_warnings(actual, expected):
    """Equal codes, except a threshold code whose exact figure is within 1e-9 of the threshold."""
    def keep(entry, code):
        if code not in THRESHOLD_CODES:
            return True
        figure, threshold = THRESHOLD_CODES[code]
        return entry[figure] is None or abs(float(entry[figure]) - threshold) > 1e-9
    assert [c for c in actual["warnings"] if keep(expected, c)] == \
        [c for c in expected["warnings"] if keep(expected, c)], (actual, expected)


def assert_reports_equal(actual, expected, tol=1e-9):
    assert actual["learners"] == expected["learners"]
    assert actual["levels"] == expected["levels"]
    assert close(actual["overall_mean"], expected["overall_mean"], tol)
    assert actual["dimension_means"].keys() == expected["dimension_means"].keys()
    for d, mean in expected["dimension_means"].items():
        assert close(actual["dimension_means"][d], mean, tol), d
    assert len(actual["items"]) == len(expected["items"])
    for a, e in zip(actual["items"], expected["items"]):
        assert (a["id"], a["dimension"], a["responses"]) == (e["id"], e["dimension"], e["responses"])
        assert close(a["p"], e["p"], tol) and close(a["item_total_r"], e["item_total_r"], tol), (a, e)
        assert_same_warnings(a, e)
    assert len(actual["dimensions"]) == len(expected["dimensions"])
    for a, e in zip(actual["dimensions"], expected["dimensions"]):
        assert (a["id"], a["k"], a["complete_responses"]) == (e["id"], e["k"], e["complete_responses"])
        for key in ("alpha", "sem", "sem_percent"):
            assert close(a[key], e[key], tol), (key, a, e)
        assert_same_warnings(a, e)


# ---------------------------------------------------------------- 1. hand-computed data set

HAND_ITEMS = {"q1": {"dimension": "d", "max": 3}, "q2": {"dimension": "d", "max": 3},
              "q3": {"dimension": "d", "max": 3}}
HAND_MATRIX = [  # q1 q2 q3  total
    [3, 3, 2],   # 8
    [2, 2, 3],   # 7
    [1, 2, 1],   # 4
    [0, 1, 0],   # 1
    [3, 2, 3],   # 8
    [1, 0, 1],   # 2
]


def test_hand_computed_figures():
    responses = [response(dict(zip(("q1", "q2", "q3"), row)), level=1 + i % 3, overall=10.0 * i)
                 for i, row in enumerate(HAND_MATRIX)]
    rep = stats.report(build(responses, HAND_ITEMS), HAND_ITEMS, ["d"])
    # p: every column sums to 10 over 6 learners: mean 5/3, p = (5/3) / 3 = 5/9.
    assert [item["p"] for item in rep["items"]] == pytest.approx([5 / 9] * 3, abs=1e-9)
    # Population variances: q1 = 24/6 - (5/3)^2 = 11/9, q2 = 22/6 - 25/9 = 8/9, q3 = 11/9,
    # sum 30/9 = 10/3. Totals 8,7,4,1,8,2: mean 5, variance 198/6 - 25 = 8.
    # alpha = 3/2 * (1 - (10/3) / 8) = 3/2 * 7/12 = 7/8.
    # SEM uses the sample variance of the totals (as R's sd()): 8 * 6/5 = 48/5, so
    # SEM = sqrt(48/5) * sqrt(1 - 7/8) = sqrt(6/5) points; in percent of max 9: 100 sqrt(6/5) / 9.
    dim = rep["dimensions"][0]
    assert dim["alpha"] == pytest.approx(7 / 8, abs=1e-9)
    assert dim["sem"] == pytest.approx(math.sqrt(6 / 5), abs=1e-9)
    assert dim["sem_percent"] == pytest.approx(100 * math.sqrt(6 / 5) / 9, abs=1e-9)
    assert (dim["k"], dim["complete_responses"], dim["warnings"]) == (3, 6, [])
    # Corrected r, sums of deviation products (deviations from the means 5/3 and 10/3 etc.):
    # q1 vs rest (5,5,3,1,5,1): Sxy = 32/3, Sxx = 22/3, Syy = 58/3 -> r = 32 / sqrt(22 * 58)
    # q2 vs rest (5,5,2,0,6,2): Sxy = 23/3, Sxx = 16/3, Syy = 82/3 -> r = 23 / sqrt(16 * 82)
    # q3 vs rest (6,4,3,1,5,1): Sxy = 29/3, Sxx = 22/3, Syy = 64/3 -> r = 29 / sqrt(22 * 64)
    expected_r = [32 / math.sqrt(22 * 58), 23 / math.sqrt(16 * 82), 29 / math.sqrt(22 * 64)]
    assert [item["item_total_r"] for item in rep["items"]] == pytest.approx(expected_r, abs=1e-9)
    assert all(item["warnings"] == [] for item in rep["items"])
    assert rep["levels"] == {"1": 2, "2": 2, "3": 2, "none": 0}
    assert rep["overall_mean"] == pytest.approx(25.0)
    # The same figures from the direct reference computation.
    assert_reports_equal(rep, reference(responses, HAND_ITEMS, ["d"]))


# ---------------------------------------------------------------- 2. sufficient statistics == raw data

@st.composite
def datasets(draw, max_learners=20):
    n_dims = draw(st.integers(1, 3))
    items = {}
    for d in range(n_dims):
        for q in range(draw(st.integers(1, 4))):
            items[f"d{d}q{q}"] = {"dimension": f"d{d}", "max": draw(st.integers(1, 5))}
    dims = [f"d{d}" for d in range(n_dims)] + draw(st.sampled_from([[], ["empty"]]))
    missing = draw(st.sampled_from([0.0, 0.1, 0.3]))

    def one():
        points = {}
        for item_id, meta in items.items():
            if not draw(st.booleans()) or draw(st.floats(0, 1)) >= missing:
                points[item_id] = draw(st.integers(0, 2 * meta["max"])) / 2  # half points
        pct = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))
        return response(points, level=draw(st.sampled_from([1, 2, 3, None])), overall=draw(pct),
                        dimensions={d: draw(pct) for d in dims})

    responses = [one() for _ in range(draw(st.integers(0, max_learners)))]
    return items, dims, responses


@settings(max_examples=300, deadline=None)
@given(datasets())
def test_report_equals_direct_computation(data):
    items, dims, responses = data
    assert_reports_equal(stats.report(build(responses, items), items, dims),
                         reference(responses, items, dims))


@settings(max_examples=200, deadline=None)
@given(datasets())
def test_summarize_equals_adding_one_response_at_a_time(data):
    items, _dims, responses = data
    # the same additions in the same order: equal to the last bit, not just close
    assert stats.summarize(responses, items) == build(responses, items)
    assert stats.summarize([], items) == stats.empty_summary()


def test_large_cohort_equals_direct_computation():
    rng = random.Random(7)
    items = {f"q{i}": {"dimension": "a" if i < 5 else "b", "max": 4} for i in range(8)}
    responses = []
    for _ in range(3000):
        ability = rng.gauss(0, 1)
        points = {q: min(4, max(0, round(2 + ability + rng.gauss(0, 1)))) for q in items}
        if rng.random() < 0.05:
            del points[rng.choice(list(points))]
        responses.append(response(points, level=rng.choice([1, 2, 3, None]), overall=rng.uniform(0, 100)))
    assert_reports_equal(stats.report(build(responses, items), items, ["a", "b"]),
                         reference(responses, items, ["a", "b"]))


# ---------------------------------------------------------------- 3. remove, retake, merge

@settings(max_examples=200, deadline=None)
@given(datasets(max_learners=12))
def test_add_then_remove_gives_empty(data):
    items, dims, responses = data
    summary = build(responses, items)
    for r in reversed(responses[::2]):
        summary = stats.remove_response(summary, r, items)
    for r in responses[1::2]:
        summary = stats.remove_response(summary, r, items)
    assert summary == stats.empty_summary()
    assert stats.report(summary, items, dims) == stats.report(stats.empty_summary(), items, dims)


@settings(max_examples=200, deadline=None)
@given(datasets(max_learners=14), st.data())
def test_retake_replaces_contribution(data, draw):
    """A learner's old response, anywhere among the others, is removed and the new one added."""
    items, dims, responses = data
    if len(responses) < 2:
        return
    old, new, others = responses[0], responses[1], responses[2:]
    position = draw.draw(st.integers(0, len(others)))
    summary = build(others[:position] + [old] + others[position:], items)
    summary = stats.add_response(stats.remove_response(summary, old, items), new, items)
    assert_reports_equal(stats.report(summary, items, dims),
                         stats.report(build(others + [new], items), items, dims))
    assert_reports_equal(stats.report(summary, items, dims), reference(others + [new], items, dims))


def test_retake_by_hand():
    first = response({"q1": 0, "q2": 0, "q3": 0}, level=1, overall=0.0)
    again = response({"q1": 3, "q2": 3, "q3": 2}, level=3, overall=90.0)
    others = [response(dict(zip(("q1", "q2", "q3"), row)), level=2, overall=50.0)
              for row in HAND_MATRIX[1:]]
    summary = build(others + [first], HAND_ITEMS)
    summary = stats.add_response(stats.remove_response(summary, first, HAND_ITEMS), again, HAND_ITEMS)
    expected = stats.report(build(others + [again], HAND_ITEMS), HAND_ITEMS, ["d"])
    assert_reports_equal(stats.report(summary, HAND_ITEMS, ["d"]), expected)
    assert stats.report(summary, HAND_ITEMS, ["d"])["levels"] == {"1": 0, "2": 5, "3": 1, "none": 0}


@settings(max_examples=200, deadline=None)
@given(datasets(), st.integers(0, 20))
def test_merge_equals_adding_all(data, cut):
    items, dims, responses = data
    a, b = build(responses[:cut], items), build(responses[cut:], items)
    merged = stats.merge(a, b)
    whole = build(responses, items)
    assert_reports_equal(stats.report(merged, items, dims), stats.report(whole, items, dims))
    assert stats.merge(stats.empty_summary(), whole) == whole


@settings(max_examples=100, deadline=None)
@given(datasets(max_learners=8))
def test_inputs_not_mutated_and_json_round_trip(data):
    items, dims, responses = data
    summary = build(responses, items)
    before = copy.deepcopy(summary)
    for r in responses:
        stats.add_response(summary, r, items)
        stats.remove_response(summary, r, items)
    stats.merge(summary, summary)
    stats.report(summary, items, dims)
    assert summary == before
    restored = json.loads(json.dumps(summary, allow_nan=False))
    assert stats.report(restored, items, dims) == stats.report(summary, items, dims)


# ---------------------------------------------------------------- 4. edge cases

def all_figures(rep):
    return [item[key] for item in rep["items"] for key in ("p", "item_total_r")] + \
        [dim[key] for dim in rep["dimensions"] for key in ("alpha", "sem", "sem_percent")]


def test_zero_responses():
    rep = stats.report(stats.empty_summary(), HAND_ITEMS, ["d"])
    assert rep["learners"] == 0 and rep["overall_mean"] is None
    assert rep["levels"] == {"1": 0, "2": 0, "3": 0, "none": 0}
    assert rep["dimension_means"] == {"d": None}
    assert all_figures(rep) == [None] * 9
    assert all(item["warnings"] == ["no_responses", "not_enough_data"] for item in rep["items"])
    assert rep["dimensions"][0]["warnings"] == ["not_enough_data"]
    assert stats.report({}, HAND_ITEMS, ["d"]) == rep  # an unset ({}) field works too
    first = response({"q1": 1, "q2": 2, "q3": 3}, level=3)
    assert stats.report(stats.add_response({}, first, HAND_ITEMS), HAND_ITEMS, ["d"]) == \
        stats.report(stats.add_response(stats.empty_summary(), first, HAND_ITEMS), HAND_ITEMS, ["d"])


def test_one_response():
    summary = build([response({"q1": 3, "q2": 0, "q3": 1}, level=2, overall=44.4,
                              dimensions={"d": 44.4})], HAND_ITEMS)
    rep = stats.report(summary, HAND_ITEMS, ["d"])
    assert rep["learners"] == 1 and rep["levels"]["2"] == 1
    assert rep["overall_mean"] == pytest.approx(44.4) and rep["dimension_means"]["d"] == pytest.approx(44.4)
    assert all_figures(rep) == [None] * 9
    assert all(item["warnings"] == ["not_enough_data"] for item in rep["items"])
    assert rep["dimensions"][0]["warnings"] == ["not_enough_data"]
    assert rep["dimensions"][0]["complete_responses"] == 1


def test_zero_variance_item_and_total():
    rows = [{"q1": 2, "q2": v, "q3": 3 - v} for v in (0, 1, 2, 3, 1, 2)]  # q1 constant, total constant
    rep = stats.report(build([response(p) for p in rows], HAND_ITEMS), HAND_ITEMS, ["d"])
    q1, q2, q3 = rep["items"]
    assert q1["p"] == pytest.approx(2 / 3) and q1["item_total_r"] is None
    assert q1["warnings"] == ["zero_variance"]
    # q2's rest (q1 + q3) varies: r(q2, 2 + 3 - q2) = -1.
    assert q2["item_total_r"] == pytest.approx(-1.0) and "low_discrimination" in q2["warnings"]
    dim = rep["dimensions"][0]
    assert (dim["alpha"], dim["sem"], dim["sem_percent"]) == (None, None, None)
    assert dim["warnings"] == ["zero_variance_items_left_out", "zero_variance"]


def test_a_zero_variance_item_is_left_out_of_alpha_as_psych_does():
    # HAND_MATRIX plus an item everyone scored 1 on: alpha and SEM stay those of q1..q3 (k = 3,
    # alpha 7/8), not k = 4, and the dimension says an item was left out.
    items = dict(HAND_ITEMS, q4={"dimension": "d", "max": 3})
    rows = [dict(zip(("q1", "q2", "q3", "q4"), row + [1])) for row in HAND_MATRIX]
    rep = stats.report(build([response(p) for p in rows], items), items, ["d"])
    dim = rep["dimensions"][0]
    assert dim["alpha"] == pytest.approx(7 / 8, abs=1e-9) and dim["sem"] == pytest.approx(math.sqrt(6 / 5))
    assert dim["warnings"] == ["zero_variance_items_left_out"]
    assert rep["items"][3]["warnings"] == ["zero_variance"] and rep["items"][3]["item_total_r"] is None


def test_item_nobody_answered():
    items = dict(HAND_ITEMS, q4={"dimension": "e", "max": 2}, q5={"dimension": "e", "max": 2})
    responses = [response({**dict(zip(("q1", "q2", "q3"), row)), "q5": 1}) for row in HAND_MATRIX]
    rep = stats.report(build(responses, items), items, ["d", "e"])
    q4, q5 = rep["items"][3:]
    assert (q4["responses"], q4["p"], q4["item_total_r"]) == (0, None, None)
    assert q4["warnings"] == ["no_responses", "not_enough_data"]
    assert q5["p"] == pytest.approx(0.5) and q5["warnings"] == ["not_enough_data"]
    assert rep["dimensions"][1]["complete_responses"] == 0
    assert rep["dimensions"][1]["warnings"] == ["not_enough_data"]
    assert rep["dimensions"][0]["alpha"] == pytest.approx(7 / 8)  # the other dimension is unaffected


def test_single_item_dimension():
    items = {"solo": {"dimension": "s", "max": 4}}
    responses = [response({"solo": v}) for v in (0, 1, 2, 3, 4, 2)]
    rep = stats.report(build(responses, items), items, ["s", "unused"])
    assert rep["items"][0]["p"] == pytest.approx(0.5)
    assert rep["items"][0]["item_total_r"] is None
    assert rep["items"][0]["warnings"] == ["not_enough_data"]
    assert [(d["k"], d["alpha"], d["warnings"]) for d in rep["dimensions"]] == \
        [(1, None, ["not_enough_data"]), (0, None, ["not_enough_data"])]


def test_odd_values_never_raise():
    items = {"a": {"dimension": "x", "max": 0}, "b": {"dimension": "x", "max": None},
             "c": {"dimension": None, "max": 1}}
    odd = [float("nan"), float("inf"), None, True, "3", 1]
    responses = [response({"a": v, "b": 1, "c": 1}, level=None, overall=v if v != "3" else None,
                          dimensions={"x": v}) for v in odd * 2]
    summary = build(responses, items)
    json.dumps(summary, allow_nan=False)  # no NaN or infinity got in
    rep = stats.report(summary, items, ["x"])
    assert rep["items"][0]["responses"] == 2 and rep["items"][1]["warnings"] == ["invalid_max", "not_enough_data"]
    assert rep["items"][2]["dimension"] is None and rep["items"][2]["p"] == pytest.approx(1.0)
    assert not any(isinstance(v, float) and math.isnan(v) for v in all_figures(rep))


# ---------------------------------------------------------------- 5. warning thresholds

def figures_for(columns, maxima=(1, 1, 1)):
    """Report of one dimension whose items score the given columns."""
    items = {f"i{n}": {"dimension": "d", "max": m} for n, m in enumerate(maxima)}
    responses = [response({f"i{n}": v for n, v in enumerate(row)}) for row in zip(*columns)]
    return stats.report(build(responses, items), items, ["d"])


def test_difficulty_thresholds():
    # Ten learners, max 1: p is the share who got the item right; p in [0.20, 0.90] is fine.
    def item(right):
        rep = figures_for([[1] * right + [0] * (10 - right), [1, 0] * 5, [0, 1] * 5])
        return rep["items"][0]["p"], rep["items"][0]["warnings"]
    assert item(10) == (1.0, ["too_easy", "zero_variance"])  # everyone right
    assert item(9)[0] == 0.9 and "too_easy" not in item(9)[1]
    assert item(2)[0] == 0.2 and "too_hard" not in item(2)[1]
    assert item(1)[0] == 0.1 and "too_hard" in item(1)[1]
    assert item(0) == (0.0, ["too_hard", "zero_variance"])  # nobody right
    assert stats.P_MIN == 0.20 and stats.P_MAX == 0.90


def test_discrimination_and_reliability_thresholds():
    good = [[1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0], [1, 0, 1, 1, 0, 0]]
    rep = figures_for(good)
    assert all(item["item_total_r"] >= stats.R_MIN for item in rep["items"])
    assert not any(item["warnings"] for item in rep["items"])
    # An item running against the others: negative r, and alpha drops below 0.60.
    rep = figures_for([good[0], good[1], [0, 0, 1, 0, 1, 1]])
    assert rep["items"][2]["item_total_r"] < 0 and "low_discrimination" in rep["items"][2]["warnings"]
    assert rep["dimensions"][0]["alpha"] < stats.ALPHA_MIN
    assert rep["dimensions"][0]["warnings"] == ["low_reliability"]


def test_threshold_boundaries_are_inclusive(monkeypatch):
    rep = figures_for([[1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0], [1, 0, 1, 1, 0, 0]])
    r, alpha = rep["items"][0]["item_total_r"], rep["dimensions"][0]["alpha"]
    monkeypatch.setattr(stats, "R_MIN", r)
    monkeypatch.setattr(stats, "ALPHA_MIN", alpha)
    rep = figures_for([[1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0], [1, 0, 1, 1, 0, 0]])
    assert "low_discrimination" not in rep["items"][0]["warnings"]
    assert rep["dimensions"][0]["warnings"] == []
    monkeypatch.setattr(stats, "R_MIN", math.nextafter(r, 2))
    monkeypatch.setattr(stats, "ALPHA_MIN", math.nextafter(alpha, 2))
    rep = figures_for([[1, 1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 0], [1, 0, 1, 1, 0, 0]])
    assert "low_discrimination" in rep["items"][0]["warnings"]
    assert rep["dimensions"][0]["warnings"] == ["low_reliability"]


def test_minimum_responses():
    column = [1, 0, 1, 1, 0, 1]
    four = figures_for([column[:4]] * 2 + [[0, 1, 1, 0]])
    five = figures_for([column[:5]] * 2 + [[0, 1, 1, 0, 1]])
    assert stats.MIN_RESPONSES == 5
    assert four["items"][0]["p"] is None and four["dimensions"][0]["alpha"] is None
    assert "not_enough_data" in four["items"][0]["warnings"]
    assert five["items"][0]["p"] == pytest.approx(0.6) and five["dimensions"][0]["alpha"] is not None
    assert "not_enough_data" not in five["items"][0]["warnings"] + five["dimensions"][0]["warnings"]


# ---------------------------------------------------------------- report_rows

def test_report_rows_are_csv_ready():
    responses = [response(dict(zip(("q1", "q2", "q3"), row)), level=2, overall=50.0,
                          dimensions={"d": 60.0}) for row in HAND_MATRIX]
    rows = stats.report_rows(stats.report(build(responses, HAND_ITEMS), HAND_ITEMS, ["d", "none"]))
    assert rows[0][:3] == ["type", "id", "dimension"]
    assert len({len(row) for row in rows}) == 1
    assert all(cell is not None for row in rows for cell in row)
    by_type = {}
    for row in rows[1:]:
        by_type.setdefault(row[0], []).append(dict(zip(rows[0], row)))
    assert by_type["overall"][0]["responses"] == 6 and by_type["overall"][0]["mean_percent"] == 50.0
    assert [row["id"] for row in by_type["level"]] == ["1", "2", "3", "none"]
    assert [row["id"] for row in by_type["item"]] == ["q1", "q2", "q3"]
    assert by_type["dimension"][0]["alpha"] == 0.875 and by_type["dimension"][0]["mean_percent"] == 60.0
    assert by_type["dimension"][1]["alpha"] == "" and by_type["dimension"][1]["warnings"] == "not_enough_data"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    assert out.getvalue().count("\n") == len(rows)
    assert stats.report_rows(stats.report({}, {}, []))[0] == rows[0]


# ---------------------------------------------------------------- 6. purity

def test_module_imports_only_the_standard_library():
    tree = ast.parse(Path(stats.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))
    assert imported <= set(sys.stdlib_module_names), imported


def test_loading_the_module_alone_loads_no_xblock_or_django(tmp_path):
    """Load the file by itself: the package __init__ imports XBlock, the module must not."""
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('standalone_statistics', {str(stats.__file__)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "assert module.report(module.empty_summary(), {}, [])['learners'] == 0\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'xblock', 'django', 'web_fragments', 'webob', 'competency_xblock'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
