"""
Item statistics for an assessment, kept as sufficient statistics.

A *summary* is a JSON-serialisable dict of counts, sums, sums of squares and
pairwise cross-product sums, meant for an XBlock field with
``Scope.user_state_summary``. Adding or removing one response costs O(k^2) for
a dimension of k items, and :func:`report` never sees individual responses, so
the staff view costs the same for ten learners or ten thousand.

Conventions:

* The conventions of R's ``psych::alpha`` (checked against its output in
  tests/test_psych_reference.py): variances and covariances are *sample*
  moments (divided by n - 1), so the SEM = sd(score) * sqrt(1 - alpha) uses the
  sample standard deviation. Alpha, the SEM and the corrected item-total r
  (psych's ``r.drop``) are those of the dimension score as learners see it:
  each item's points times its ``weight`` in the ``items`` metadata (its
  percent points per point; 1 when absent, i.e. the raw sum). An item that
  everyone answered alike (zero variance) is left out of alpha, the SEM and the
  other items' rest scores, as psych::alpha drops it; the dimension then carries
  ``zero_variance_items_left_out``.
* A learner is *complete* for a dimension when they have a finite number for
  every item that the ``items`` metadata assigns to it. Item-total r, alpha
  and SEM use complete learners only; difficulty ``p`` uses every learner who
  answered the item. Points that are None, missing, bool or not finite count
  as unanswered; items absent from the metadata are ignored.
* Pass the same ``items`` metadata to the add and to the later remove of a
  response; after editing the metadata, rebuild the summary.
* Item ids must not contain ``"|"``, which joins the ids of pair keys.
* A figure that cannot be computed is None and its reason is among the item's
  or dimension's warning codes: ``not_enough_data`` (fewer than MIN_RESPONSES
  responses, or k < 2), ``zero_variance``, ``no_responses``, ``invalid_max``
  (item max missing or not positive), ``zero_variance_items_left_out``. Quality codes: ``too_easy`` (p > P_MAX),
  ``too_hard`` (p < P_MIN), ``low_discrimination`` (r < R_MIN) and
  ``low_reliability`` (alpha < ALPHA_MIN). :func:`report` never raises on
  missing data, never divides by zero and never returns NaN.
"""
import math
from itertools import combinations

MIN_RESPONSES = 5  # responses (complete ones for r, alpha, SEM) before a figure is given
P_MIN, P_MAX = 0.20, 0.90  # acceptable band of item difficulty p, inclusive
R_MIN = 0.20  # lowest acceptable corrected item-total correlation
ALPHA_MIN = 0.60  # lowest acceptable Cronbach's alpha
LEVEL_KEYS = ("1", "2", "3", "none")
_EPS = 1e-10  # variances below _EPS * mean square are float noise, i.e. zero


def empty_summary():
    """Return a summary of no responses."""
    return {
        "learners": 0,
        "levels": dict.fromkeys(LEVEL_KEYS, 0),
        "overall": {"n": 0, "sum": 0.0},
        "dimension_percents": {},  # dim -> {"n", "sum"} of percents
        "items": {},  # item -> {"n", "sum"} over everyone who answered it
        "dimensions": {},  # dim -> {"n", "sum", "sumsq", "cross"} over complete learners
    }


def add_response(summary, response, items):
    """Return a new summary that also counts `response`; `summary` is not changed."""
    return _tidy(_combine(summary, _contribution(response, items), 1))


def summarize(responses, items):
    """
    Return the summary of all `responses`, as if each were added in turn with `add_response`
    (the same sums, added in the same order); the item structure is worked out once.
    """
    total = empty_summary()
    item_ids = list(map(str, items))
    by_dim = [(dim, ids, [(_pair(i, j), i, j) for i, j in combinations(ids, 2)])
              for dim, ids in _by_dimension(items).items()]
    for response in responses:
        _add_into(total, response, item_ids, by_dim)
    return _tidy(total)


def _add_into(total, response, item_ids, by_dim):
    """Add one response to `total` in place: `_contribution` and `_accumulate` in one pass."""
    total["learners"] += 1
    level = response.get("level")
    level_key = "none" if level is None else str(level)
    total["levels"][level_key] = total["levels"].get(level_key, 0) + 1
    overall = _num(response.get("overall"))
    if overall is not None:
        _add_count_and_sum(total["overall"], overall)
    for dim, value in (response.get("dimensions") or {}).items():
        if _num(value) is not None:
            _add_count_and_sum(total["dimension_percents"].setdefault(str(dim), {}), _num(value))
    points = {str(key): _num(value) for key, value in (response.get("items") or {}).items()}
    for item_id in item_ids:
        if points.get(item_id) is not None:
            _add_count_and_sum(total["items"].setdefault(item_id, {}), points[item_id])
    for dim, ids, pairs in by_dim:
        if all(points.get(item_id) is not None for item_id in ids):
            stats = total["dimensions"].setdefault(dim, {})
            stats["n"] = stats.get("n", 0) + 1
            sums, sumsqs, cross = (stats.setdefault(key, {}) for key in ("sum", "sumsq", "cross"))
            for i in ids:
                sums[i] = sums.get(i, 0) + points[i]
                sumsqs[i] = sumsqs.get(i, 0) + points[i] * points[i]
            for key, i, j in pairs:
                cross[key] = cross.get(key, 0) + points[i] * points[j]


def _add_count_and_sum(stats, value):
    stats["n"] = stats.get("n", 0) + 1
    stats["sum"] = stats.get("sum", 0) + value


def remove_response(summary, response, items):
    """
    Return a new summary without `response`, which must have been added with the same `items`.
    """
    return _tidy(_combine(summary, _contribution(response, items), -1))


def merge(a, b):
    """Return the summary of the responses of `a` and of `b` together."""
    return _tidy(_combine(a, b, 1))


def report(summary, items, dimensions):
    """
    Return the staff figures of `summary`: learner and level counts, mean percents,
    p and item_total_r per item of `items`, alpha and SEM per dimension of `dimensions`.
    """
    by_dim = _by_dimension(items)
    levels = dict.fromkeys(LEVEL_KEYS, 0)
    levels.update(summary.get("levels", {}))
    percents = summary.get("dimension_percents", {})
    blocks = summary.get("dimensions", {})
    weights = {str(item_id): _num(meta.get("weight")) or 1.0 for item_id, meta in items.items()}
    moments = {dim: _moments(blocks.get(dim), ids, weights) for dim, ids in by_dim.items()}
    result = {
        "learners": summary.get("learners", 0),
        "levels": levels,
        "dimension_means": {str(dim): _mean(percents.get(str(dim))) for dim in dimensions},
        "overall_mean": _mean(summary.get("overall")),
        "items": [],
        "dimensions": [],
    }
    for item_id, meta in items.items():
        item_id, dim = str(item_id), meta.get("dimension")
        dim = None if dim is None else str(dim)
        warnings = []
        stats = summary.get("items", {}).get(item_id, {})
        responses = stats.get("n", 0)
        p = _difficulty(responses, stats.get("sum", 0.0), _num(meta.get("max")), warnings)
        r = _item_total_r(moments.get(dim), item_id, warnings)
        result["items"].append({
            "id": item_id, "dimension": dim, "responses": responses,
            "p": p, "item_total_r": r, "warnings": warnings,
        })
    for dim in map(str, dimensions):
        ids = by_dim.get(dim, [])
        max_total = sum((_num(items[key].get("max")) or 0.0) * weights[str(key)] for key in items if str(key) in ids)
        warnings = []
        alpha, sem = _alpha_sem(moments.get(dim), warnings)
        result["dimensions"].append({
            "id": dim, "k": len(ids),
            "complete_responses": blocks.get(dim, {}).get("n", 0),
            "alpha": alpha, "sem": sem,
            "sem_percent": 100.0 * sem / max_total if sem is not None and max_total > 0 else None,
            "warnings": warnings,
        })
    return result


def report_rows(report_):
    """
    Return `report_` as CSV-ready rows: a header, then overall, level, item and
    dimension rows; None becomes "", floats are rounded to 6 places, warnings join with ";".
    """
    header = ["type", "id", "dimension", "responses", "mean_percent", "p", "item_total_r",
              "k", "alpha", "sem", "sem_percent", "warnings"]
    rows = [header, ["overall", "", "", report_["learners"], report_["overall_mean"]]]
    rows += [["level", key, "", count] for key, count in report_["levels"].items()]
    for item in report_["items"]:
        rows.append(["item", item["id"], item["dimension"], item["responses"], None,
                     item["p"], item["item_total_r"], None, None, None, None,
                     ";".join(item["warnings"])])
    for dim in report_["dimensions"]:
        rows.append(["dimension", dim["id"], dim["id"], dim["complete_responses"],
                     report_["dimension_means"].get(dim["id"]), None, None, dim["k"],
                     dim["alpha"], dim["sem"], dim["sem_percent"], ";".join(dim["warnings"])])
    width = len(header)
    return [[_cell(value) for value in row + [None] * (width - len(row))] for row in rows]


def _cell(value):
    """Return `value` for a CSV cell: "" for None, floats rounded to 6 places."""
    if value is None:
        return ""
    return round(value, 6) if isinstance(value, float) else value


def _num(value):
    """Return `value` as a float, or None unless it is a finite int or float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _pair(a, b):
    """Return the key of the cross-product sum of items `a` and `b`."""
    return "|".join(sorted((a, b)))


def _by_dimension(items):
    """Return {dimension: [item ids]} from the `items` metadata, in its order."""
    by_dim = {}
    for item_id, meta in items.items():
        if meta.get("dimension") is not None:
            by_dim.setdefault(str(meta["dimension"]), []).append(str(item_id))
    return by_dim


def _contribution(response, items):
    """Return the summary of the single `response`."""
    level = response.get("level")
    single = empty_summary()
    single["learners"] = 1
    single["levels"] = {"none" if level is None else str(level): 1}
    overall = _num(response.get("overall"))
    if overall is not None:
        single["overall"] = {"n": 1, "sum": overall}
    for dim, value in (response.get("dimensions") or {}).items():
        if _num(value) is not None:
            single["dimension_percents"][str(dim)] = {"n": 1, "sum": _num(value)}
    points = {str(key): _num(value) for key, value in (response.get("items") or {}).items()}
    for item_id in map(str, items):
        if points.get(item_id) is not None:
            single["items"][item_id] = {"n": 1, "sum": points[item_id]}
    for dim, ids in _by_dimension(items).items():
        if all(points.get(item_id) is not None for item_id in ids):
            single["dimensions"][dim] = {
                "n": 1,
                "sum": {i: points[i] for i in ids},
                "sumsq": {i: points[i] * points[i] for i in ids},
                "cross": {_pair(i, j): points[i] * points[j] for i, j in combinations(ids, 2)},
            }
    return single


def _combine(a, b, sign):
    """Return a new dict of the leaves of `a` plus `sign` times those of `b`."""
    result = {}
    for key in list(a) + [key for key in b if key not in a]:
        x, y = a.get(key), b.get(key)
        if isinstance(x, dict) or isinstance(y, dict):
            result[key] = _combine(x or {}, y or {}, sign)
        else:
            result[key] = (x or 0) + sign * (y or 0)
    return result


def _tidy(summary):
    """Drop entries whose count fell to zero, so rounding left-overs vanish with them."""
    for section in ("dimension_percents", "items", "dimensions"):
        summary[section] = {k: v for k, v in summary.get(section, {}).items() if v.get("n")}
    summary.setdefault("overall", {"n": 0, "sum": 0.0})
    if not summary["overall"].get("n"):
        summary["overall"] = {"n": 0, "sum": 0.0}
    return summary


def _mean(stats):
    """Return sum / n of `stats`, or None when n is not positive."""
    n = (stats or {}).get("n", 0)
    return stats["sum"] / n if n > 0 else None


def _clean(variance, scale):
    """Return `variance`, or 0.0 when it is float noise relative to the mean square `scale`."""
    return 0.0 if variance <= _EPS * scale else variance


def _moments(block, ids, weights=None):
    """
    Return n, the varying and the constant items, variances and a covariance function of
    the weighted points of one dimension block, or None with fewer than MIN_RESPONSES
    complete learners.
    """
    n = (block or {}).get("n", 0)
    if n < MIN_RESPONSES:
        return None
    weight = weights or {}
    u = {i: weight.get(i, 1.0) for i in ids}
    mean = {i: block["sum"].get(i, 0.0) / n for i in ids}
    square = {i: block["sumsq"].get(i, 0.0) / n for i in ids}
    cross = {key: value / n for key, value in block["cross"].items()}
    sample = n / (n - 1)   # population moments -> sample moments, as R's var() and sd()
    # Moments of the weighted points u_i * x_i.
    variance = {i: sample * u[i] ** 2 * _clean(square[i] - mean[i] ** 2, square[i]) for i in ids}

    def cov(i, j):
        return sample * u[i] * u[j] * (cross.get(_pair(i, j), 0.0) - mean[i] * mean[j])

    def group_variance(group):
        # var(sum of group) = sum_i var_i + 2 sum_{i<j} cov_ij
        pairs = list(combinations(group, 2))
        value = sum(variance[i] for i in group) + 2 * sum(cov(i, j) for i, j in pairs)
        scale = sample * (sum(u[i] ** 2 * square[i] for i in group)
                          + 2 * sum(abs(u[i] * u[j] * cross.get(_pair(i, j), 0.0)) for i, j in pairs))
        return _clean(value, scale)

    varying = [i for i in ids if variance[i] > 0]
    return {"n": n, "ids": varying, "constant": [i for i in ids if variance[i] == 0],
            "variance": variance, "cov": cov, "group_variance": group_variance}


def _add(warnings, code):
    """Append `code` to `warnings` once."""
    if code not in warnings:
        warnings.append(code)


def _difficulty(responses, total, max_points, warnings):
    """Return p = mean(points) / max, or None, adding codes to `warnings`."""
    if responses <= 0:
        _add(warnings, "no_responses")
    elif responses < MIN_RESPONSES:
        _add(warnings, "not_enough_data")
    elif max_points is None or max_points <= 0:
        _add(warnings, "invalid_max")
    else:
        p = total / (responses * max_points)
        if p < P_MIN:
            _add(warnings, "too_hard")
        elif p > P_MAX:
            _add(warnings, "too_easy")
        return p
    return None


def _item_total_r(moments, item_id, warnings):
    """
    Return the Pearson r of item `item_id` with the rest of its dimension, or None.

    cov(x_i, rest_i) = sum_{j != i} cov_ij and var(rest_i) is the variance of
    the sum of the other items.
    """
    if moments is None or len(moments["ids"]) + len(moments["constant"]) < 2:
        _add(warnings, "not_enough_data")
        return None
    rest = [j for j in moments["ids"] if j != item_id]
    var_item = moments["variance"][item_id]
    var_rest = moments["group_variance"](rest) if rest else 0.0
    if var_item == 0 or var_rest == 0:
        _add(warnings, "zero_variance")
        return None
    covariance = sum(moments["cov"](item_id, j) for j in rest)
    r = max(-1.0, min(1.0, covariance / math.sqrt(var_item * var_rest)))
    if r < R_MIN:
        _add(warnings, "low_discrimination")
    return r


def _alpha_sem(moments, warnings):
    """
    Return Cronbach's alpha and the SEM of one dimension's (weighted) score, or Nones.

    Over the k items that vary: alpha = k / (k - 1) * (1 - sum_i var_i / var(total));
    SEM = sd(total) * sqrt(1 - alpha), with sample moments.
    """
    if moments is None or len(moments["ids"]) + len(moments["constant"]) < 2:
        _add(warnings, "not_enough_data")
        return None, None
    if moments["constant"] and moments["ids"]:
        _add(warnings, "zero_variance_items_left_out")
    k = len(moments["ids"])
    var_total = moments["group_variance"](moments["ids"]) if k else 0.0
    if var_total == 0:
        _add(warnings, "zero_variance")
        return None, None
    if k < 2:
        _add(warnings, "not_enough_data")
        return None, None
    alpha = k / (k - 1) * (1 - sum(moments["variance"][i] for i in moments["ids"]) / var_total)
    if alpha < ALPHA_MIN:
        _add(warnings, "low_reliability")
    return alpha, math.sqrt(var_total) * math.sqrt(max(0.0, 1 - alpha))
