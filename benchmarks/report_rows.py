"""
Item 6: a pass over 100,000 learner states (the cohort figures, ``generate_report_data``) against
the floor, and the figures job's rate.

The states are made by the block itself: a pool of learners really submit through the
workbench (1 to 3 attempts each, answers at random), and their stored user state is read
back from the workbench's store. The pool repeats under distinct user names up to 100,000
(``StoredStates``), kept as JSON text and decoded as it is read, as the LMS's user state
client decodes each stored row. **The floor** is what merely iterating and decoding those
states costs; the cohort figures (``cohort_report``) and the report rows
(``generate_report_data``, rows consumed as yielded) run over the same decoded states, the
three taking turns in every round, and each is reported as a ratio to the floor of its round.
Memory: the peak ``tracemalloc`` sees above the start, in separate passes (it slows Python).
**The job** (``cohort_jobs.start`` as the demo runs it, Celery eager) reads the same states as
100,000 rows of the workbench's store, decodes them, works the figures out and keeps them.
"""
from __future__ import annotations

import json
import random
import statistics
import time
import tracemalloc

from .env import Driver, setup_django
from .findings import Finding
from .inprocess import OUR_XML, _ok
from .synthetic import UserState, cycle_states, random_answers

TARGET_FLOOR_RATIO = 2.0  # a pass over the cohort costs at most twice iterating and decoding its states
TARGET_GROWTH_BYTES = 50 * 1024 * 1024


def stored_user_states(usage_id, user_ids) -> list[dict]:
    """The learners' user state as the workbench stores it (one JSON object per learner and block)."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rows = XBlockState.objects.filter(scope="usage", scope_id=str(usage_id), user_id__in=list(user_ids))
    return [json.loads(row.state) for row in rows]


def submitted_learners(size: int, seed: int, prefix: str):
    """(author, usage id, user ids): an assessment and ``size`` learners who each submitted 1 to 3 attempts."""
    rng = random.Random(seed)
    author = Driver(f"{prefix}-author")
    usage = author.load(OUR_XML)
    pack = author.block(usage).load_pack()
    users = []
    for _ in range(size):
        learner = Driver.fresh(prefix)
        for _attempt in range(rng.choice((1, 1, 1, 2, 3))):
            _ok("submit", learner.post(usage, "submit", json.dumps({"answers": random_answers(pack, rng)}).encode()))
        users.append(learner.user_id)
    return author, usage, users


def our_pool(size: int, seed: int = 6):
    """(block, states): an assessment and the stored states of ``size`` learners who submitted."""
    author, usage, users = submitted_learners(size, seed, "bench-report")
    return author.block(usage), stored_user_states(usage, users)


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
        return cycle_states(self.pool, count=self.count)


class StoredStates:
    """
    A ``user_state_client`` whose block has ``count`` learners: the pool's stored JSON, under
    distinct names, decoded as it is read (as the LMS's ``DjangoXBlockUserStateClient`` decodes
    each ``StudentModule.state``). Iterating it is the floor: what any pass over the cohort costs.
    """

    def __init__(self, pool, count: int):
        self.texts, self.count = [json.dumps(state) for state in pool], count

    def iter_all_for_block(self, block_key=None, scope=None):  # pylint: disable=unused-argument
        texts, size, loads = self.texts, len(self.texts), json.loads
        for number in range(self.count):
            yield UserState(f"learner{number:06d}", loads(texts[number % size]))


def floor_and_passes(block, pool, count: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """
    (wall, CPU) seconds per round of: the floor (iterating and decoding ``count`` stored states),
    the cohort figures (``cohort_report``) and ``generate_report_data``, over the same decoded
    states, taking turns in a rotating order so that all three meet the same machine.
    """
    client = StoredStates(pool, count)
    block.runtime._services["user_state_client"] = client  # pylint: disable=protected-access
    pack = block.load_pack()

    def floor():
        for _ in client.iter_all_for_block():
            pass

    def figures():
        found = block.cohort_report(pack)
        if found["learners"] != count:
            raise AssertionError(f"the cohort figures count {found['learners']} of {count} learners")

    def rows():
        produced = sum(1 for _ in block.generate_report_data(client.iter_all_for_block()))
        if produced != count:
            raise AssertionError(f"{produced} rows for {count} learners who all submitted")

    passes = {"floor": floor, "figures": figures, "rows": rows}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in passes}
    names = list(passes)
    for number in range(rounds + 1):  # the first round warms up
        for name in names[number % 3:] + names[:number % 3]:
            start, start_cpu = time.perf_counter(), time.process_time()
            passes[name]()
            if number:
                times[name].append((time.perf_counter() - start, time.process_time() - start_cpu))
    return times


def figures_memory(block, pool, count: int) -> int:
    """Peak bytes allocated above the start while the cohort figures run over ``count`` stored states."""
    block.runtime._services["user_state_client"] = StoredStates(pool, count)  # pylint: disable=protected-access
    pack = block.load_pack()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        block.cohort_report(pack)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def job_rate(pool_size: int, count: int) -> tuple[float, int]:
    """
    Learners per second of the figures job (``cohort_jobs.start``, run by Celery in eager mode, as
    the demo runs it), over ``count`` learners in the workbench's store: reading the rows, decoding,
    the cohort pass, keeping the figures. (learners per second, learners counted)
    """
    from competency_xblock.platform import cohort_jobs  # pylint: disable=import-outside-toplevel
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    author, usage, users = submitted_learners(pool_size, 7, "bench-job")
    rows = list(XBlockState.objects.filter(scope="usage", scope_id=str(usage), user_id__in=users))
    XBlockState.objects.bulk_create(
        [XBlockState(scope=row.scope, scope_id=row.scope_id, user_id=f"bench-job-copy-{number}",
                     scenario=row.scenario, tag=row.tag, state=row.state)
         for number, row in ((number, rows[number % len(rows)]) for number in range(count - len(rows)))],
        batch_size=5000)
    block = author.block(usage)
    rules = block.cohort_rules(block.load_pack())
    start = time.perf_counter()
    status = cohort_jobs.start(usage, cohort_jobs.job_settings(rules, block.item_overrides))
    seconds = time.perf_counter() - start
    kept = status["kept"]
    if status["job"]["state"] != "done" or not kept:
        raise AssertionError(f"the job did not finish: {status['job']}")
    XBlockState.objects.filter(scope_id=str(usage)).delete()
    return count / seconds, kept["learners"]


def _ratios(times, name: str, column: int) -> list[float]:
    return [ours[column] / floor[column] for ours, floor in zip(times[name], times["floor"])]


def _median_iqr(values: list[float]) -> str:
    from .timing import quantile  # pylint: disable=import-outside-toplevel
    return f"{statistics.median(values):.2f} (IQR {quantile(values, 0.25):.2f}–{quantile(values, 0.75):.2f})"


def report_rows(count: int = 100_000, pool_size: int = 200, repetitions: int = 5) -> list[Finding]:
    """Item 6: the floor, the cohort figures and the report rows over the same states; the job's rate."""
    setup_django()
    block, pool = our_pool(pool_size)
    if len(pool) != pool_size:
        raise AssertionError(f"expected {pool_size} stored states, found {len(pool)}")
    times = floor_and_passes(block, pool, count, repetitions)
    rates = {name: statistics.median(count / wall for wall, _cpu in times[name]) for name in times}
    figures_wall, rows_wall = _ratios(times, "figures", 0), _ratios(times, "rows", 0)
    figures_cpu, rows_cpu = _ratios(times, "figures", 1), _ratios(times, "rows", 1)
    growth = memory_pass(block, pool, count)
    figures_growth = figures_memory(block, pool, count)
    job, job_learners = job_rate(pool_size, count)
    floor_text = f"floor (iterate and decode): {rates['floor']:,.0f} states/s"
    setting = f"over {count:,} stored learner states, median of {repetitions} rounds"
    return [
        Finding("6 reports", f"the cohort figures {setting}, against the floor", f"{rates['figures']:,.0f} learners/s",
                floor_text, f"ratio {_median_iqr(figures_wall)}; per CPU-second {statistics.median(figures_cpu):.2f}",
                f"ratio ≤ {TARGET_FLOOR_RATIO:g}", statistics.median(figures_wall) <= TARGET_FLOOR_RATIO),
        Finding("6 reports", f"generate_report_data {setting}, against the floor", f"{rates['rows']:,.0f} rows/s",
                floor_text, f"ratio {_median_iqr(rows_wall)}; per CPU-second {statistics.median(rows_cpu):.2f}",
                f"ratio ≤ {TARGET_FLOOR_RATIO:g}", statistics.median(rows_wall) <= TARGET_FLOOR_RATIO),
        Finding("6 reports", f"peak memory growth over {count:,} states (tracemalloc): the cohort figures; "
                "generate_report_data (rows consumed as yielded)",
                f"figures {figures_growth / 1024 / 1024:.2f} MB; rows {growth / 1024 / 1024:.2f} MB", "",
                f"{max(growth, figures_growth) / 1024 / 1024:.2f} MB",
                f"< {TARGET_GROWTH_BYTES / 1024 / 1024:.0f} MB", max(growth, figures_growth) < TARGET_GROWTH_BYTES),
        Finding("6 reports", f"the cohort figures job (cohort_jobs.start, Celery eager) over {count:,} learners "
                "in the workbench's store: rows read, decoded, figures kept (informative)",
                f"{job:,.0f} learners/s ({count / job:.1f} s; {job_learners:,} counted)", "", f"{job:,.0f} learners/s",
                "", None),
    ]
