"""
Run the benchmarks, print the table and write benchmarks/RESULTS.md.

    .venv/bin/python -m benchmarks            # what `make bench` runs
    .venv/bin/python -m benchmarks --quick    # tiny repetition counts: proves they run, figures mean nothing
    .venv/bin/python -m benchmarks --only 1,5 # some items (1 and 2 run together)

How each figure is made is in benchmarks/README.md. Missed targets are reported, not
raised: the exit status is non-zero only when a benchmark could not run.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .env import poll_installed, setup_django
from .findings import Finding, table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
COMMAND = "make bench   (.venv/bin/python -m benchmarks)"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def python_speed() -> float:
    """CPU nanoseconds per iteration of a trivial Python loop: a yardstick to compare machines by."""
    start = time.process_time()
    total = 0
    for number in range(2_000_000):
        total += number
    return (time.process_time() - start) / 2_000_000 * 1e9


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> list[str]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- CPU: {cpu_model()}; nproc {affinity}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} "
        f"{platform.release()}",
        f"- XBlock {version('XBlock')}, xblock-sdk {version('xblock-sdk')}, Django {version('Django')}, "
        f"xblock-poll {version('xblock-poll')}, gunicorn {version('gunicorn')}, psycopg {version('psycopg')}",
        f"- yardstick: {python_speed():.0f} ns of CPU per iteration of `total += number` "
        "(a quiet modern x86 core takes about 30)",
    ]


# ----- the items ----------------------------------------------------------------------------------------

def run_items(selected: set[str], quick: bool) -> tuple[list[Finding], list[str]]:
    """The findings of the selected items, and the tracebacks of any that failed."""
    from . import http_latency, inprocess, report_rows, scaling, weight  # pylint: disable=import-outside-toplevel
    plan = [
        ("1", "render and submit", lambda: inprocess.render_and_submit(
            **({"rounds": 3, "warmup": 1} if quick else {}))),
        ("3", "scaling", lambda: scaling.scaling(**({"rounds": 2, "warmup": 1} if quick else {}))),
        ("5", "client weight", weight.client_weight),
        ("6", "reports", lambda: report_rows.report_rows(
            **({"count": 500, "pool_size": 10, "repetitions": 1} if quick else {}))),
        ("4", "HTTP", lambda: http_latency.http_latency(**({"rounds": 1, "bursts": 1} if quick else {}))),
        ("7", "LMS-shaped store: render and submit", lambda: inprocess.render_and_submit(
            store="lms", **({"rounds": 3, "warmup": 1} if quick else {}))),
        ("7", "LMS-shaped store: HTTP", lambda: http_latency.http_latency(
            store="lms", **({"rounds": 1, "bursts": 1} if quick else {}))),
    ]
    findings, failures = [], []
    for key, name, benchmark in plan:
        if key not in selected and not (key == "1" and "2" in selected):
            continue
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            findings.extend(benchmark())
        except Exception:  # pylint: disable=broad-except  # report it, run the others
            failures.append(f"{name}:\n{traceback.format_exc()}")
            findings.append(Finding(key, name, "FAILED to run", "", "", "", None,
                                    notes=[traceback.format_exc(limit=3)]))
        print(f"  {name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    order = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7}
    findings.sort(key=lambda finding: order.get(finding.section.split()[0], 9))
    return findings, failures


# ----- where the time goes ------------------------------------------------------------------------------

def profiles(quick: bool) -> list[str]:
    """Owner shares (and call trees) of the main operations, and their SQL query counts."""
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    from .env import Driver  # pylint: disable=import-outside-toplevel
    from .inprocess import Stage  # pylint: disable=import-outside-toplevel
    from .noop_block import BLOCK_TYPE as NOOP_BLOCK  # pylint: disable=import-outside-toplevel
    from .noop_block import register as register_noop_block  # pylint: disable=import-outside-toplevel
    from .profiles import profile  # pylint: disable=import-outside-toplevel
    from .report_rows import our_pool  # pylint: disable=import-outside-toplevel
    from .synthetic import cycle_states  # pylint: disable=import-outside-toplevel

    repetitions = 2 if quick else 40
    stage = Stage()
    cases = [("our student_view, not answered", stage.render_ours_form),
             ("our student_view, result page", stage.render_ours_result),
             ("our submit", stage.submit_ours)]
    if stage.with_poll:
        cases[1:1] = [("poll's student_view, not answered", stage.render_poll_form)]
        cases[3:3] = [("poll's student_view, tally", stage.render_poll_result)]
        cases.append(("poll's vote", stage.vote_poll))
    register_noop_block()
    noop_usage = Driver("bench-author").load(f"<{NOOP_BLOCK}/>")

    def noop():
        learner = Driver.fresh("bench-noop")
        return lambda: learner.post(noop_usage, "noop", b"{}")
    cases.append(("the trivial handler (benchmark-only block)", noop))
    lines = ["| operation | SQL queries | ms per operation under the profiler "
             "| where the time goes (share of samples) |",
             "|---|---|---|---|"]
    trees = []
    for name, case in cases:
        operation = case()
        connection.queries_log.clear()  # a full log (it keeps 9,000) would make the count 0
        with CaptureQueriesContext(connection) as queries:
            operation()
        found = profile(case, repetitions)
        lines.append(f"| {name} | {len(queries.captured_queries)} | {found.seconds / repetitions * 1e3:.1f} | "
                     f"{found.shares_text()} |")
        if name in ("our submit", "our student_view, result page"):
            trees.append((name, found.tree))
    block, pool = our_pool(5 if quick else 100)
    count = 500 if quick else 20_000
    found = profile(lambda: lambda: sum(1 for _ in block.generate_report_data(cycle_states(pool, count))), 1)
    lines.append(f"| generate_report_data, {count:,} states | 0 | {found.seconds * 1e3:.0f} (all rows) | "
                 f"{found.shares_text()} |")
    trees.append((f"generate_report_data over {count:,} states", found.tree))
    from .report_rows import StoredStates  # pylint: disable=import-outside-toplevel
    block.runtime._services["user_state_client"] = StoredStates(pool, count)  # pylint: disable=protected-access
    pack = block.load_pack()
    found = profile(lambda: lambda: block.cohort_report(pack), 1)
    lines.append(f"| the cohort figures, {count:,} stored states decoded as read | 0 | {found.seconds * 1e3:.0f} "
                 f"(all learners) | {found.shares_text()} |")
    trees.append((f"the cohort figures over {count:,} stored states", found.tree))
    for name, tree in trees:
        lines += ["", f"<details><summary>pyinstrument call tree: {name}</summary>", "", "```", tree.strip(), "```",
                  "", "</details>"]
    return lines


# ----- output -------------------------------------------------------------------------------------------

def results_markdown(findings: list[Finding], profile_lines: list[str], started: datetime, seconds: float,
                     load_before: str, load_after: str, quick: bool) -> str:
    notes = [f"- **{finding.section}, {finding.measure}**: {note}" for finding in findings for note in finding.notes]
    lines = [
        "# Benchmark results",
        "",
        "Generated by `benchmarks/run.py`; how each figure is made, and what the figures say, is in "
        "[README.md](README.md). Do not edit by hand: run the command again.",
        "",
        f"- command: `{COMMAND}`" + ("  **--quick: tiny repetition counts, the figures mean nothing**"
                                     if quick else ""),
        f"- run: {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} min; load average (1, 5, 15 min) "
        f"before {load_before}, after {load_after}",
        *machine(),
        "",
        "Times are medians with their interquartile range; a ratio is ours over the peer's, of medians, "
        "with the interquartile range of the per-round (paired) ratios.",
        "",
        table(findings),
        "",
    ]
    if notes:
        lines += ["## Details", "", *notes, ""]
    if profile_lines:
        lines += ["## Where the time goes", "",
                  "pyinstrument, in this process, on the same workbench runtime. Each frame's own time goes to the "
                  "owner of the nearest frame (itself or a caller) in a known package (`benchmarks/profiles.py`). "
                  "SQL queries: the workbench's key-value store runs a SELECT for each field a block reads and a "
                  "SELECT and an UPDATE (its own commit) for each field it writes, and serialises the whole row "
                  "again for each field; the LMS loads a learner's state of a block in one query and saves it "
                  "in one write.",
                  "", *profile_lines, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="tiny repetition counts (to see that all run)")
    parser.add_argument("--only", default="1,2,3,4,5,6,7", help="comma-separated items (default: all)")
    parser.add_argument("--no-profiles", action="store_true", help="skip the pyinstrument section")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"where to write (default {RESULTS})")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    selected = {item.strip() for item in args.only.split(",") if item.strip()}
    setup_django()
    started, clock, load_before = datetime.now(timezone.utc), time.monotonic(), load_average()
    if not poll_installed():
        print("xblock-poll is not installed: the comparisons with it are skipped "
              "(`make bench` installs requirements/bench.txt)", file=sys.stderr)
    findings, failures = run_items(selected, args.quick)
    profile_lines = []
    if not args.no_profiles:
        try:
            import pyinstrument  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
            print("profiling ...", file=sys.stderr, flush=True)
            profile_lines = profiles(args.quick)
        except ImportError:
            print("pyinstrument is not installed: no profiles", file=sys.stderr)
    print(table(findings))
    if not args.no_write:
        args.output.write_text(results_markdown(findings, profile_lines, started, time.monotonic() - clock,
                                                load_before, load_average(), args.quick), encoding="utf-8")
        print(f"written: {args.output}", file=sys.stderr)
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0
