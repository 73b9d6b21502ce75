#!/usr/bin/env python3
"""
Load test: N learners autosave and submit at once, on the workbench under gunicorn and PostgreSQL.

    .venv/bin/python scripts/loadtest.py --learners 200      # what `make load` runs

It starts a private PostgreSQL cluster (Debian's ``postgresql`` package; see
``load_servers.py``) and the XBlock SDK workbench under gunicorn, both on 127.0.0.1 only,
and stops both when it ends, also on failure or Ctrl-C. Then:

1. every learner opens the assessment scenario (its usage id and CSRF cookie come from the
   page); when all pages are loaded, every learner at once autosaves half of their answers
   and submits them all; answers are a seeded mix of weak, middling and strong learners;
2. every learner at once sends the same submit twice at once (a double click): of two
   submits that read the same saved state one is kept and the other is refused with 409;
   two that did not overlap are both kept, as a retake;
3. every learner's results are read back (``student_view_user_state``): as many kept
   attempts as submits answered 200, the level ``competency_xblock.domain.scoring`` gives the
   same answers;
4. the staff aggregates (the staff CSV) are compared with the true level counts.

It prints a table and exits 0 when there were no failed requests (a 409 in step 2 is an
answer, not a failure), no lost or wrong results, and exact staff aggregates. Every
request has a time limit, every phase a deadline, and each learner makes a fixed number
of requests.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
import math
import random
import re
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [path for path in (str(REPO_ROOT), str(REPO_ROOT / "scripts")) if path not in sys.path]

import httpx  # noqa: E402  pylint: disable=wrong-import-position

from competency_xblock.domain import scoring  # noqa: E402  pylint: disable=wrong-import-position
from competency_xblock.platform.pack_sources import installed_library  # noqa: E402  pylint: disable=wrong-import-position
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN  # noqa: E402  pylint: disable=wrong-import-position
from load_servers import PostgresCluster, PostgresUnavailable, Workbench  # noqa: E402  pylint: disable=wrong-import-position

SCENARIO = "Competency assessment: customer service"
PACK_ID = "customer_service"
STAFF = "staff"
ABILITY_BANDS = ((0.0, 0.45), (0.45, 0.8), (0.8, 1.0))  # weak, middling, strong: every level occurs
REQUEST_TIMEOUT = 120.0  # seconds, per request
READBACK_PARALLEL = 16


@dataclass
class Plan:
    """One learner: who, what they autosave, what they submit, and the level those answers earn."""
    learner: str
    draft: dict
    answers: dict
    expected_level: int | None


@dataclass
class Outcome:
    """What happened to one learner."""
    errors: list = field(default_factory=list)
    submitted_levels: list = field(default_factory=list)  # the level each submit answered 200 with
    submits_kept: int = 0      # submits answered 200: each must be a kept attempt
    submits_refused: int = 0   # submits answered 409, as the second of two at once
    stored_level: object = None
    results_stored: int | None = None


def _answer(item, ability: float, rng: random.Random):
    """An answer worth about ``ability`` of the item's points, with some noise."""
    target = ability * item.max_points + rng.gauss(0, 0.6)
    if item.is_situational:
        return min(item.options, key=lambda option: (abs(option.points - target), option.id)).id
    points = min(max(round(target), 0), SCALE_MAX - SCALE_MIN)
    return SCALE_MAX - points if item.reverse else SCALE_MIN + points


def plan_learners(pack, count: int, seed: int) -> list[Plan]:
    """Deterministic learners, a third in each ability band, each with the level their answers earn."""
    rng = random.Random(seed)
    plans = []
    for index in range(count):
        ability = rng.uniform(*ABILITY_BANDS[index % len(ABILITY_BANDS)])
        answers = {item.id: _answer(item, ability, rng) for item in pack.items}
        result = scoring.score(pack.items, pack.dimensions, answers, pack.scoring.cut_scores,
                               pack.scoring.self_assessment_weight, pack.scoring.min_items_per_dimension)
        draft = dict(list(answers.items())[: len(answers) // 2])
        plans.append(Plan(f"learner-{index:04d}", draft, answers, result.level))
    return plans


def level_counts(levels) -> dict:
    """How many of ``levels`` are 1, 2, 3 or None ("none"), keyed as the staff CSV keys them."""
    counts = {"1": 0, "2": 0, "3": 0, "none": 0}
    for level in levels:
        key = "none" if level is None else str(level)
        counts[key] = counts.get(key, 0) + 1
    return counts


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


# ----- the load ----------------------------------------------------------------------------------------------------

class Load:
    """The learners' requests, their outcomes and latencies."""

    def __init__(self, base_url: str, plans: list[Plan]):
        self.base_url = base_url
        self.plans = plans
        self.outcomes = {plan.learner: Outcome() for plan in plans}
        self.usage_id: str | None = None
        self.timed_out = False
        self.latency = {"page": [], "save": [], "submit": [], "double submit": [], "readback": []}

    async def _request(self, client: httpx.AsyncClient, kind: str, learner: str, method: str, url: str,
                       answers=(200,), **kwargs):
        """One request; a failure (an error, or a status not in ``answers``) is recorded and returns None."""
        started = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            self.outcomes[learner].errors.append(f"{kind}: {type(error).__name__}: {error}")
            return None
        self.latency[kind].append(time.perf_counter() - started)
        if response.status_code not in answers:
            self.outcomes[learner].errors.append(f"{kind}: HTTP {response.status_code}: {response.text[:200]}")
            return None
        return response

    async def open_page(self, client: httpx.AsyncClient, plan: Plan, scenario_path: str) -> bool:
        response = await self._request(client, "page", plan.learner, "GET", scenario_path,
                                       params={"student": plan.learner})
        found = re.search(r"data-usage=['\"]([^'\"]+)['\"]", response.text) if response else None
        if response and not found:
            self.outcomes[plan.learner].errors.append("page: no block usage id in the page")
        if not found:
            return False
        self.usage_id = self.usage_id or found.group(1)
        if found.group(1) != self.usage_id:
            self.outcomes[plan.learner].errors.append(f"page: another usage id {found.group(1)!r}")
            return False
        return True

    def _handler(self, learner: str, handler: str) -> tuple[str, dict]:
        return f"/handler/{self.usage_id}/{handler}/", {"student": learner}

    async def save_and_submit(self, client: httpx.AsyncClient, plan: Plan):
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Content-Type": "application/json"}
        url, params = self._handler(plan.learner, "save_answers")
        saved = await self._request(client, "save", plan.learner, "POST", url, params=params, headers=headers,
                                    content=json.dumps({"answers": plan.draft}))
        if saved is None:
            return
        url, params = self._handler(plan.learner, "submit")
        submitted = await self._request(client, "submit", plan.learner, "POST", url, params=params, headers=headers,
                                        content=json.dumps({"answers": plan.answers}))
        if submitted is not None:
            self.outcomes[plan.learner].submitted_levels.append(submitted.json().get("level"))
            self.outcomes[plan.learner].submits_kept += 1

    async def double_submit(self, client: httpx.AsyncClient, plan: Plan):
        """The same submit twice at once, as a double click sends it."""
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Content-Type": "application/json"}
        url, params = self._handler(plan.learner, "submit")
        body = json.dumps({"answers": plan.answers})
        outcome = self.outcomes[plan.learner]
        responses = await asyncio.gather(*(
            self._request(client, "double submit", plan.learner, "POST", url, answers=(200, 409), params=params,
                          headers=headers, content=body) for _ in range(2)))
        for response in filter(None, responses):
            if response.status_code == 200:
                outcome.submits_kept += 1
                outcome.submitted_levels.append(response.json().get("level"))
            else:
                outcome.submits_refused += 1

    async def read_back(self, client: httpx.AsyncClient, plan: Plan, gate: asyncio.Semaphore):
        async with gate:
            url, params = self._handler(plan.learner, "student_view_user_state")
            response = await self._request(client, "readback", plan.learner, "GET", url, params=params)
        if response is not None:
            results = response.json().get("results") or []
            self.outcomes[plan.learner].results_stored = len(results)
            self.outcomes[plan.learner].stored_level = results[-1].get("level") if results else None

    async def run(self, scenario_path: str, deadline: float):
        # A fresh connection per request: gunicorn drops idle keep-alive connections after two
        # seconds, and a request racing that close would fail for reasons that are not the block's.
        limits = httpx.Limits(max_connections=2, max_keepalive_connections=0)
        async with contextlib.AsyncExitStack() as stack:
            clients = {plan.learner: await stack.enter_async_context(
                httpx.AsyncClient(base_url=self.base_url, timeout=REQUEST_TIMEOUT, limits=limits))
                for plan in self.plans}

            async def phase(coroutines):
                try:
                    await asyncio.wait_for(asyncio.gather(*coroutines), max(deadline - time.monotonic(), 1))
                except TimeoutError:  # what did not finish shows as errors and lost results
                    self.timed_out = True

            opened = {}

            async def open_one(plan):
                opened[plan.learner] = await self.open_page(clients[plan.learner], plan, scenario_path)

            await phase(open_one(plan) for plan in self.plans)
            ready = [plan for plan in self.plans if opened.get(plan.learner)]
            if not ready:
                return
            await phase(self.save_and_submit(clients[plan.learner], plan) for plan in ready)
            await phase(self.double_submit(clients[plan.learner], plan) for plan in ready)
            gate = asyncio.Semaphore(READBACK_PARALLEL)
            await phase(self.read_back(clients[plan.learner], plan, gate) for plan in ready)


def staff_aggregates(base_url: str, scenario_path: str, usage_id: str) -> dict:
    """Learners and level counts as the staff CSV gives them, once staff have pressed the button (the figures job)."""
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        client.get(scenario_path, params={"student": STAFF}).raise_for_status()
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Content-Type": "application/json"}
        started = client.post(f"/handler/{usage_id}/staff_figures/", params={"student": STAFF}, content=b"{}",
                              headers=headers)
        started.raise_for_status()
        state, deadline = started.json()["state"], time.monotonic() + REQUEST_TIMEOUT
        while state in ("queued", "running") and time.monotonic() < deadline:  # a worker runs it (eager: done)
            time.sleep(0.2)
            state = client.get(f"/handler/{usage_id}/staff_figures_status/", params={"student": STAFF}).json()["state"]
        if state != "done":
            raise RuntimeError(f"the cohort figures job ended {state!r}")
        response = client.get(f"/handler/{usage_id}/staff_statistics_csv/", params={"student": STAFF})
        response.raise_for_status()
    rows = list(csv.reader(io.StringIO(response.text)))
    header = rows[0]
    kind, key, count = header.index("type"), header.index("id"), header.index("responses")
    levels = {row[key]: int(row[count] or 0) for row in rows[1:] if row[kind] == "level"}
    learners = next(int(row[count] or 0) for row in rows[1:] if row[kind] == "overall")
    return {"learners": learners, "levels": {k: levels.get(k, 0) for k in ("1", "2", "3", "none")}}


def scenario_path(base_url: str) -> str:
    page = httpx.get(base_url + "/", timeout=REQUEST_TIMEOUT).text
    for href, text in re.findall(r'<a href="(/scenario/[^"]+)">([^<]+)</a>', page):
        if text.strip() == SCENARIO:
            return href
    raise RuntimeError(f"the workbench lists no scenario {SCENARIO!r}")


# ----- report ------------------------------------------------------------------------------------------------------

def _drift_text(expected: dict, staff: dict) -> str:
    differences = {"learners": staff["learners"] - expected["learners"]}
    differences.update({f"level {k}": staff["levels"][k] - expected["levels"][k] for k in expected["levels"]})
    if not any(differences.values()):
        return "none (exact)"
    return ", ".join(f"{name} {value:+d}" for name, value in differences.items() if value or name == "learners")


def report_table(result: dict) -> str:
    expected, back, staff = result["expected"], result["read_back"], result["staff"]
    double = result["double_submits"]
    lines = [
        f"Load test: {result['learners']} learners, gunicorn {result['workers']} workers x {result['threads']} "
        f"threads, PostgreSQL on 127.0.0.1, {result['seconds']:.1f} s",
        f"{'':22}{'expected':>10}{'read back':>11}{'staff view':>12}",
        f"{'learners':22}{expected['learners']:>10}{back['learners']:>11}{staff['learners']:>12}",
    ]
    for key in ("1", "2", "3", "none"):
        if key == "none" and not any(x["levels"].get("none") for x in (expected, back, staff)):
            continue
        lines.append(f"{'level ' + key:22}{expected['levels'][key]:>10}{back['levels'][key]:>11}"
                     f"{staff['levels'][key]:>12}")
    lines += [
        f"errors (failed requests)  {result['errors']}",
        f"lost results              {result['lost']} (of {result['submits_kept']} submits answered 200)",
        f"wrong levels              {result['wrong']}",
        f"double submits            {double['pairs']} pairs sent at once: {double['refused']} refused (409) as the "
        f"second of a race, {double['both_kept']} pairs both kept (no overlap)",
        f"aggregate drift           {result['drift_text']}",
        f"{'latency':22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}",
    ]
    for kind, figures in result["latency_ms"].items():
        p50 = "-" if figures["p50"] is None else f"{figures['p50']:.0f}"
        p95 = "-" if figures["p95"] is None else f"{figures['p95']:.0f}"
        lines.append(f"{kind:22}{figures['n']:>6}{p50:>10}{p95:>10}")
    lines.append(f"verdict: {'PASS' if result['passed'] else 'FAIL'} (target: 0 errors, 0 lost, 0 wrong, "
                 "exact aggregates)")
    if result["error_samples"]:
        lines.append("first errors: " + "; ".join(result["error_samples"]))
    return "\n".join(lines)


def run(learners: int, workers: int, threads: int, seed: int, deadline_seconds: float) -> dict:
    pack = installed_library().get(PACK_ID)
    plans = plan_learners(pack, learners, seed)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(PostgresCluster())
        workbench = Workbench(cluster.database_settings, workers, threads)
        stack.callback(workbench.stop)
        workbench.start()
        path = scenario_path(workbench.base_url)
        # The workbench's store makes a block's definition-scope row (the course pack, Scope.content)
        # on its first read with a get_or_create that has no unique key to stop two overlapping first
        # reads from making two rows. Open edX reads content from the modulestore; here the course
        # author opens the unit once before the learners come, as in a course.
        httpx.get(workbench.base_url + path, params={"student": STAFF}, timeout=REQUEST_TIMEOUT).raise_for_status()
        load = Load(workbench.base_url, plans)
        asyncio.run(load.run(path, time.monotonic() + deadline_seconds))
        usage_id = load.usage_id
        if usage_id is None:
            raise RuntimeError("no learner could open the scenario:\n" + workbench.log())
        staff = staff_aggregates(workbench.base_url, path, usage_id)
    outcomes = [load.outcomes[plan.learner] for plan in plans]
    expected = {"learners": len(plans), "levels": level_counts(plan.expected_level for plan in plans)}
    stored = [o for o in outcomes if o.results_stored]
    read_back = {"learners": len(stored), "levels": level_counts(o.stored_level for o in stored)}
    # a learner whose submits answered 200 more often than attempts were kept lost results
    lost = sum(max(o.submits_kept - (o.results_stored or 0), 0) for o in outcomes)
    wrong = sum(1 for plan, o in zip(plans, outcomes)
                if o.results_stored and (o.stored_level != plan.expected_level
                                         or set(o.submitted_levels) != {plan.expected_level}))
    errors = [f"{plan.learner}: {error}" for plan, o in zip(plans, outcomes) for error in o.errors]
    if load.timed_out:
        errors.append(f"the deadline of {deadline_seconds:g} s passed before every request was answered")
    errors += [f"{plan.learner}: {o.results_stored} attempts kept, {o.submits_kept} submits answered 200"
               for plan, o in zip(plans, outcomes) if (o.results_stored or 0) > o.submits_kept]
    exact = staff == expected
    refused = sum(o.submits_refused for o in outcomes)
    result = {
        "learners": learners, "workers": workers, "threads": threads, "seed": seed,
        "seconds": time.monotonic() - started,
        "expected": expected, "read_back": read_back, "staff": staff,
        "errors": len(errors), "error_samples": errors[:5], "lost": lost, "wrong": wrong,
        "submits_kept": sum(o.submits_kept for o in outcomes),
        "double_submits": {"pairs": len(outcomes), "refused": refused,
                           "both_kept": sum(1 for o in outcomes if o.submits_kept == 3)},
        "drift_text": _drift_text(expected, staff), "aggregates_exact": exact,
        "latency_ms": {kind: {"n": len(values), "p50": _ms(percentile(values, 0.50)),
                              "p95": _ms(percentile(values, 0.95))}
                       for kind, values in load.latency.items()},
    }
    result["passed"] = not errors and not lost and not wrong and exact
    return result


def _ms(seconds):
    return None if seconds is None else seconds * 1000


def _stop_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through the ExitStack, which stops gunicorn and PostgreSQL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--learners", type=int, default=200, help="distinct learners (default 200)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the learners' answers (default 7)")
    parser.add_argument("--deadline", type=float, default=900,
                        help="seconds allowed for all the learners' requests (default 900)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 2000:
        parser.error("--learners must be between 1 and 2000")
    signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        result = run(args.learners, args.workers, args.threads, args.seed, args.deadline)
    except PostgresUnavailable as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
    print(report_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
