"""
Timing that holds on a noisy machine: warm-up, many repetitions, interleaved sides, medians.

Each case is timed one operation at a time with ``time.perf_counter``. Its per-repetition
set-up (a fresh learner, say) runs outside the timed region. The cases of one comparison
take turns within every round, in alternating order (A B, B A, ...), so a burst of
background load falls on both sides alike; the ratio is taken of the medians, and its
spread is the interquartile range of the per-round (paired) ratios.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable

# A case gives, for each repetition, the operation to time (its set-up already done).
Case = Callable[[], Callable[[], object]]


def quantile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation; ``values`` need not be sorted."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Timing:
    """Seconds per operation over ``samples`` repetitions."""
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p25(self) -> float:
        return quantile(list(self.samples), 0.25)

    @property
    def p75(self) -> float:
        return quantile(list(self.samples), 0.75)

    def ms(self) -> str:
        """``median ms (IQR p25–p75)``."""
        return f"{self.median * 1e3:.2f} ms (IQR {self.p25 * 1e3:.2f}–{self.p75 * 1e3:.2f})"


@dataclass(frozen=True)
class Ratio:
    """``numerator`` over ``denominator``: the ratio of medians and the IQR of paired ratios."""
    numerator: Timing
    denominator: Timing

    @property
    def value(self) -> float:
        return self.numerator.median / self.denominator.median

    @property
    def paired(self) -> list[float]:
        return [a / b for a, b in zip(self.numerator.samples, self.denominator.samples) if b > 0]

    def text(self) -> str:
        paired = self.paired
        return f"{self.value:.2f} (paired IQR {quantile(paired, 0.25):.2f}–{quantile(paired, 0.75):.2f})"


def interleaved(cases: dict[str, Case], rounds: int, warmup: int = 3,
                check: Callable[[str, object], None] | None = None) -> dict[str, Timing]:
    """
    Time every case ``rounds`` times, taking turns, after ``warmup`` untimed rounds.

    ``check(name, outcome)``, outside the timed region, sees what each operation returned,
    so that a benchmark of a handler that started failing fails instead of timing errors.
    """
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(warmup + rounds):
        order = names if round_number % 2 == 0 else names[::-1]
        for name in order:
            operation = cases[name]()
            start = time.perf_counter()
            outcome = operation()
            elapsed = time.perf_counter() - start
            if check is not None:
                check(name, outcome)
            if round_number >= warmup:
                samples[name].append(elapsed)
    return {name: Timing(tuple(values)) for name, values in samples.items()}
