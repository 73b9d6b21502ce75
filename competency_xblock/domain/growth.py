"""
Growth between attempts: per learner, and the cohort's mean change with its confidence interval.

A learner's change in a dimension is the latest attempt's score minus the first
attempt's, in percentage points (both rescored with today's key, as the grade is).
Over the learners with two or more attempts, staff see per dimension the mean change,
its 95 % confidence interval by Student's t (mean +- t(0.975, n-1) * sd / sqrt(n),
sd the sample standard deviation) and n. With fewer than two learners there is no
interval. The t quantile is computed here (bisection on the t CDF, the regularized
incomplete beta function by Lentz's continued fraction) so the block needs no SciPy;
tests/fixtures/growth_scipy.json holds SciPy's figures it is checked against.
"""
from __future__ import annotations

import math
from typing import Iterable, Mapping

from .self_view import cohort_mean_gaps

CONFIDENCE = 0.95


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def learner_changes(first: Mapping, latest: Mapping) -> dict[str, float | None]:
    """Dimension id -> latest minus first (points); None where either attempt has no score."""
    first = first if isinstance(first, Mapping) else {}
    latest = latest if isinstance(latest, Mapping) else {}
    return {dimension_id: (latest.get(dimension_id) - first[dimension_id]
                           if _is_number(first.get(dimension_id)) and _is_number(latest.get(dimension_id)) else None)
            for dimension_id in first}


# ----- Student's t ------------------------------------------------------------------------------

def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    tiny, epsilon = 1e-300, 1e-15
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 1000):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1) < epsilon:
            break
    return fraction


def _regularized_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1 - math.exp(log_front) * _beta_continued_fraction(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _regularized_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile (0 < p < 1) of Student's t with ``df`` degrees of freedom."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("p must lie in (0, 1) and df be positive")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def mean_with_interval(values: list[float], confidence: float = CONFIDENCE) -> dict:
    """{"n", "mean", "low", "high", "sd"}; mean None without values, the interval None below two."""
    n = len(values)
    if not n:
        return {"n": 0, "mean": None, "low": None, "high": None, "sd": None}
    mean = sum(values) / n
    if n < 2:
        return {"n": 1, "mean": mean, "low": None, "high": None, "sd": None}
    sd = math.sqrt(sum((value - mean) ** 2 for value in values) / (n - 1))
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * sd / math.sqrt(n)
    return {"n": n, "mean": mean, "low": mean - half, "high": mean + half, "sd": sd}


def cohort_growth(learners: Iterable[Mapping], dimension_ids: Iterable[str]) -> dict[str, dict]:
    """
    Over the learners' change mappings (:func:`learner_changes` of learners with two or
    more attempts): dimension id -> :func:`mean_with_interval` of the changes.
    """
    dimension_ids = list(dimension_ids)
    changes = {dimension_id: [] for dimension_id in dimension_ids}
    for learner in learners:
        for dimension_id in dimension_ids:
            change = learner.get(dimension_id) if isinstance(learner, Mapping) else None
            if _is_number(change):
                changes[dimension_id].append(float(change))
    return {dimension_id: mean_with_interval(values) for dimension_id, values in changes.items()}


def csv_rows(growth: Mapping[str, Mapping], gaps: Mapping[str, Mapping] | None = None) -> list[list]:
    """CSV rows for the staff download: a header, then per dimension the growth and the mean self-view gap."""
    rows = [["type", "dimension", "learners", "mean_change", "ci95_low", "ci95_high", "mean_self_gap",
             "learners_with_gap"]]
    gaps = gaps or {}
    for dimension_id, figures in growth.items():
        gap = gaps.get(dimension_id, {})
        rows.append(["growth", dimension_id, figures["n"]] + [
            "" if figures[key] is None else round(figures[key], 6) for key in ("mean", "low", "high")]
            + ["" if gap.get("mean") is None else round(gap["mean"], 6), gap.get("n", "")])
    return rows


def cohort_loop_figures(learners: Iterable[Mapping], dimension_ids: Iterable[str]) -> dict:
    """
    The staff's loop figures over the learners' results. Each learner is a mapping with
    ``counted`` (the attempt that counts, as stored or rescored: its ``self_gaps``) and, for
    learners with two or more attempts, ``first`` and ``latest`` (their ``dimensions``).
    Returns {"growth": :func:`cohort_growth`, "self_gaps": mean gap per dimension}.
    """
    dimension_ids = list(dimension_ids)
    changes, gaps = [], []
    for learner in learners:
        counted = learner.get("counted") or {}
        gaps.append(counted.get("self_gaps") if isinstance(counted, Mapping) else None)
        if learner.get("first") is not None and learner.get("latest") is not None:
            changes.append(learner_changes(learner["first"].get("dimensions"), learner["latest"].get("dimensions")))
    return {"growth": cohort_growth(changes, dimension_ids), "self_gaps": cohort_mean_gaps(gaps, dimension_ids)}


def weakest(dimension_means: Mapping, count: int = 2) -> list[str]:
    """The ``count`` dimension ids with the lowest cohort mean (those with a mean), lowest first."""
    scored = [(mean, key) for key, mean in dimension_means.items() if _is_number(mean)]
    return [key for _mean, key in sorted(scored)[:count]]
