"""
Item 6: ``generate_report_data`` over 100,000 learner states: rows per second and memory.

The states are made by the block itself: a pool of learners really submit through the
workbench (1 to 3 attempts each, answers at random), and their stored user state is
read back from the workbench's store, in the shape Open edX's
``user_state_client.iter_all_for_block`` yields it. The pool repeats under distinct user
names up to 100,000 (``synthetic.cycle_states``). Rows are consumed as they are yielded
and not kept, so the memory figure is the block's own: the peak that ``tracemalloc``
sees above what was allocated when the report started. Time and memory come from
separate passes (tracemalloc slows Python down).
"""
from __future__ import annotations

import json
import random
import statistics
import time
import tracemalloc

from .env import Driver, poll_installed, setup_django
from .findings import Finding
from .inprocess import POLL_ANSWERS, OUR_XML, _ok, poll_xml
from .synthetic import cycle_states, random_answers

TARGET_ROWS_PER_SECOND = 50_000
TARGET_GROWTH_BYTES = 50 * 1024 * 1024


def stored_user_states(usage_id, user_ids) -> list[dict]:
    """The learners' user state as the workbench stores it (one JSON object per learner and block)."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rows = XBlockState.objects.filter(scope="usage", scope_id=str(usage_id), user_id__in=list(user_ids))
    return [json.loads(row.state) for row in rows]


def our_pool(size: int, seed: int = 6):
    """(block, states): an assessment and the stored states of ``size`` learners who submitted."""
    rng = random.Random(seed)
    author = Driver("bench-author")
    usage = author.load(OUR_XML)
    pack = author.block(usage).load_pack()
    users = []
    for _ in range(size):
        learner = Driver.fresh("bench-report")
        for _attempt in range(rng.choice((1, 1, 1, 2, 3))):
            _ok("submit", learner.post(usage, "submit", json.dumps({"answers": random_answers(pack, rng)}).encode()))
        users.append(learner.user_id)
    return author.block(usage), stored_user_states(usage, users)


def poll_pool(size: int, seed: int = 6):
    rng = random.Random(seed)
    author = Driver("bench-author")
    usage = author.load(poll_xml())
    users = []
    for _ in range(size):
        learner = Driver.fresh("bench-report-poll")
        body = json.dumps({"choice": rng.choice(POLL_ANSWERS)[0]}).encode()
        _ok("vote", learner.post(usage, "vote", body))
        users.append(learner.user_id)
    return author.block(usage), stored_user_states(usage, users)


def timed_pass(block, pool, count: int) -> tuple[int, float, float]:
    """Rows yielded, wall-clock seconds and this process's CPU seconds, for ``count`` states."""
    start, start_cpu = time.perf_counter(), time.process_time()
    rows = sum(1 for _ in block.generate_report_data(cycle_states(pool, count)))
    return rows, time.perf_counter() - start, time.process_time() - start_cpu


def memory_pass(block, pool, count: int) -> int:
    """Peak bytes allocated above the start while the report runs over ``count`` states."""
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in block.generate_report_data(cycle_states(pool, count)):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


class CyclingStates:
    """A ``user_state_client`` whose block has ``count`` learners: the pool under distinct names."""

    def __init__(self, pool, count: int):
        self.pool, self.count = pool, count

    def iter_all_for_block(self, block_key, scope=None):  # pylint: disable=unused-argument
        return cycle_states(self.pool, self.count)


def staff_figures_rate(block, pool, count: int, repetitions: int = 3) -> float:
    """
    Learners per second of the staff view's cohort figures (``cohort_report``), the median
    of ``repetitions`` passes: every learner's counted attempt rescored, then the statistics.
    """
    block.runtime._services["user_state_client"] = CyclingStates(pool, count)  # pylint: disable=protected-access
    pack = block.load_pack()
    rates = []
    for _ in range(repetitions):
        start = time.perf_counter()
        figures = block.cohort_report(pack)
        rates.append(count / (time.perf_counter() - start))
        if figures["learners"] != count:
            raise AssertionError(f"the cohort figures count {figures['learners']} of {count} learners")
    return statistics.median(rates)


def report_rows(count: int = 100_000, pool_size: int = 200, repetitions: int = 5) -> list[Finding]:
    """Item 6. Our passes and poll's take turns, so that both see the same machine."""
    setup_django()
    block, pool = our_pool(pool_size)
    if len(pool) != pool_size:
        raise AssertionError(f"expected {pool_size} stored states, found {len(pool)}")
    sides = {"ours": (block, pool)}
    if poll_installed():
        sides["poll"] = poll_pool(min(pool_size, 50))
    rates: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in sides}
    for name, (side_block, side_pool) in sides.items():
        timed_pass(side_block, side_pool, min(count, 2000))  # warm-up
    for repetition in range(repetitions):
        for name in (list(sides) if repetition % 2 == 0 else list(sides)[::-1]):
            rows, seconds, cpu_seconds = timed_pass(*sides[name], count)
            if name == "ours" and rows != count:
                raise AssertionError(f"{rows} rows for {count} learners who all submitted")
            rates[name][0].append(rows / seconds)
            rates[name][1].append(rows / cpu_seconds if cpu_seconds > 0 else float("inf"))
    growth = memory_pass(block, pool, count)
    staff_count = max(count // 5, 1)
    staff_rate = staff_figures_rate(block, pool, staff_count)
    wall, cpu = rates["ours"]
    median = statistics.median(wall)
    peer = "xblock-poll not installed"
    if "poll" in rates:
        peer = f"poll, same runs: {statistics.median(rates['poll'][0]):,.0f} rows/s (3 short columns)"
    return [
        Finding("6 reports", f"generate_report_data over {count:,} learner states: rows per second "
                f"(median of {repetitions} runs, wall clock)",
                f"{median:,.0f} rows/s (runs {min(wall):,.0f}–{max(wall):,.0f}; "
                f"per CPU-second of this process {statistics.median(cpu):,.0f})", peer,
                f"{median:,.0f} rows/s", f"≥ {TARGET_ROWS_PER_SECOND:,} rows/s", median >= TARGET_ROWS_PER_SECOND),
        Finding("6 reports", f"generate_report_data over {count:,} learner states: peak memory growth "
                "(tracemalloc, rows consumed as yielded)",
                f"{growth / 1024 / 1024:.2f} MB", "", f"{growth / 1024 / 1024:.2f} MB",
                f"< {TARGET_GROWTH_BYTES / 1024 / 1024:.0f} MB", growth < TARGET_GROWTH_BYTES),
        Finding("6 reports", f"the staff view's cohort figures over {staff_count:,} learner states, worked out "
                "when staff ask for them (informative)", f"{staff_rate:,.0f} learners/s "
                f"({staff_count / staff_rate:.2f} s for {staff_count:,})", "", f"{staff_rate:,.0f} learners/s", "",
                None),
    ]
