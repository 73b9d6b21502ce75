"""
Write tests/fixtures/growth_scipy.json: SciPy's figures for the cohort growth interval.

Run with any Python that has SciPy (the block itself does not need it):

    python scripts/growth_fixture.py > tests/fixtures/growth_scipy.json

Each case is a list of changes (percentage points) and SciPy's mean, t-based 95 %
interval (scipy.stats.t.interval with the standard error sd/sqrt(n)) and t quantile.
"""
import json
import random

import numpy
import scipy
from scipy import stats

rng = random.Random(15)
cases = []
for n in (2, 3, 5, 8, 13, 30, 120):
    values = [round(rng.gauss(6, 12), 2) for _ in range(n)]
    mean = float(numpy.mean(values))
    low, high = stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(values))
    cases.append({"values": values, "n": n, "mean": mean, "low": float(low), "high": float(high),
                  "t975": float(stats.t.ppf(0.975, n - 1))})
quantiles = [{"p": p, "df": df, "t": float(stats.t.ppf(p, df))}
             for p in (0.6, 0.9, 0.975, 0.995) for df in (1, 2, 7, 50, 400)]
print(json.dumps({"scipy": scipy.__version__, "intervals": cases, "quantiles": quantiles}, indent=1))
