"""
Item 4: latency over HTTP, the workbench under gunicorn on PostgreSQL, 20 learners at once.

The server and the database are the load test's (``scripts/load_servers.py``:
``PostgresCluster``, a private PostgreSQL cluster, and ``Workbench``, the workbench under
gunicorn, both on 127.0.0.1 and stopped at the end), with the settings of
``bench_settings``, which add the benchmark-only trivial block (``noop_block``).

Each of the 20 learners opens the pages once, one learner after another (for the CSRF
cookie; the workbench creates a block's shared rows on first view, and that races).
Then all learners at once make a fixed number of rounds; a round is, in a rotating
order, our ``submit`` (all 36 answers, as a new learner), the trivial ``noop`` handler,
and poll's ``vote`` (as a new learner). All three kinds thus run under the same mixed
load, at the same time. Latency is measured
by the client, request sent to response read, on a fresh connection each (as the load
test does). The first round of each learner is a warm-up and is not counted.

That is one burst; the server takes three, one after another, with new learners each. A
p95 ratio moves by ±0.1 from one burst to the next on a shared two-core machine (the 95th
percentile of a few hundred requests, and whatever else the machine runs), so the figures
reported are those of the burst with the median p95 ratio, and the notes give every burst's.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from workbench_demo.server_process import RedisServer, redis_binary

from .findings import Finding
from .noop_block import NOOP_SCENARIO, POLL_SCENARIO
from .timing import quantile

ROOT = Path(__file__).resolve().parent.parent
OUR_SCENARIO = "Competency assessment: customer service"
TARGET_P95_RATIO = 1.5
REQUEST_TIMEOUT = 120.0


def _servers():
    """The load test's server helpers, ``scripts/load_servers.py`` (scripts/ is not a package)."""
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import load_servers  # pylint: disable=import-outside-toplevel,import-error
    return load_servers


def unavailable_reason() -> str | None:
    """Why the HTTP benchmark cannot run here, or None."""
    try:
        import gunicorn  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        import httpx  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        import psycopg  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
        servers = _servers()
    except ImportError as error:
        return f"missing {error.name} (requirements/bench.txt installs it)"
    try:
        servers.find_bindir()
    except servers.PostgresUnavailable as error:
        return str(error)
    return None


def scenario_paths(base_url: str, titles) -> dict[str, str]:
    import httpx  # pylint: disable=import-outside-toplevel
    page = httpx.get(base_url + "/", timeout=REQUEST_TIMEOUT).text
    found = {text.strip(): href for href, text in re.findall(r'<a href="(/scenario/[^"]+)">([^<]+)</a>', page)}
    missing = [title for title in titles if title not in found]
    if missing:
        raise RuntimeError(f"the workbench lists no scenario {missing}")
    return {title: found[title] for title in titles}


class Learners:
    """The concurrent learners and the latencies they saw."""

    def __init__(self, base_url: str, paths: dict[str, str], submit_body: bytes, vote_body: bytes):
        self.base_url, self.paths = base_url, paths
        self.bodies = {"submit": submit_body, "noop": b"{}", "vote": vote_body}
        self.usages: dict[str, str] = {}
        self.latency: dict[str, list[float]] = {"submit": [], "noop": [], "vote": []}
        self.errors: list[str] = []

    async def open_pages(self, client, learner: str):
        for title, kind in ((OUR_SCENARIO, "submit"), (NOOP_SCENARIO, "noop"), (POLL_SCENARIO, "vote")):
            response = await client.get(self.paths[title], params={"student": learner})
            response.raise_for_status()
            found = re.search(r"data-usage=['\"]([^'\"]+)['\"]", response.text)
            if not found:
                raise RuntimeError(f"no block in the page of {title!r}")
            self.usages.setdefault(kind, found.group(1))

    async def call(self, client, kind: str, student: str, counted: bool):
        handler = {"submit": "submit", "noop": "noop", "vote": "vote"}[kind]
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", ""), "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            response = await client.post(f"/handler/{self.usages[kind]}/{handler}/", params={"student": student},
                                         headers=headers, content=self.bodies[kind])
        except Exception as error:  # pylint: disable=broad-except  # any failure is counted, not raised
            self.errors.append(f"{kind}: {type(error).__name__}: {error}")
            return
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            self.errors.append(f"{kind}: HTTP {response.status_code}: {response.text[:200]}")
        elif counted:
            self.latency[kind].append(elapsed)

    async def learner(self, client, name: str, number: int, rounds: int):
        kinds = ["submit", "noop", "vote"]
        for round_number in range(rounds + 1):
            shift = (number + round_number) % len(kinds)
            for kind in kinds[shift:] + kinds[:shift]:
                await self.call(client, kind, f"{name}-{round_number}", counted=round_number > 0)

    async def run(self, learners: int, rounds: int, deadline: float, burst: int = 0):
        import httpx  # pylint: disable=import-outside-toplevel
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=0)
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(
                httpx.AsyncClient(base_url=self.base_url, timeout=REQUEST_TIMEOUT, limits=limits))
                for _ in range(learners)]
            # One after the other: the workbench creates a block's shared rows on first view with a
            # get_or_create that races (two rows, then a 500), and page views are not what is measured.
            names = [f"bench-http-{burst}-{number}" for number in range(learners)]
            for name, client in zip(names, clients):
                await self.open_pages(client, name)
            await asyncio.wait_for(asyncio.gather(*(self.learner(client, name, number, rounds) for number, (name, client)
                                                    in enumerate(zip(names, clients)))), deadline)


def measure(learners: int = 20, rounds: int = 15, workers: int = 4, threads: int = 4, bursts: int = 3,
            deadline: float = 900, settings: str = "benchmarks.bench_settings") -> dict:
    """Start PostgreSQL and gunicorn, run ``bursts`` bursts of learners, stop both; each burst's latencies in seconds."""
    from competency_xblock.platform.pack_sources import installed_library  # pylint: disable=import-outside-toplevel
    from .inprocess import POLL_CHOICE, complete_answers  # pylint: disable=import-outside-toplevel
    servers = _servers()
    submit_body = json.dumps({"answers": complete_answers(installed_library().get("customer_service"))}).encode()
    vote_body = json.dumps({"choice": POLL_CHOICE}).encode()
    with contextlib.ExitStack() as stack:
        cluster = stack.enter_context(servers.PostgresCluster())
        server = servers.Workbench(cluster.database_settings, workers, threads)
        server.env["DJANGO_SETTINGS_MODULE"] = settings
        cache = "the demo's database cache"
        if settings.endswith("_lms") and redis_binary():  # the LMS's cache is memcached or Redis, not SQL
            redis = stack.enter_context(RedisServer(startup_timeout=30))
            server.env["BENCH_REDIS_CACHE_URL"] = redis.url(0)
            cache = "Redis"
        stack.callback(server.stop)
        server.start()
        paths = scenario_paths(server.base_url, (OUR_SCENARIO, NOOP_SCENARIO, POLL_SCENARIO))
        crowds, seconds = [], []
        for burst in range(bursts):
            crowd = Learners(server.base_url, paths, submit_body, vote_body)
            started = time.monotonic()
            try:
                asyncio.run(crowd.run(learners, rounds, deadline, burst))
            except Exception as error:
                raise RuntimeError(f"the learners failed: {error}; the server's log ends:\n{server.log()}") from error
            crowds.append(crowd)
            seconds.append(time.monotonic() - started)
        server_profile = profile_on(server, cluster.database_settings)
    return {"bursts": [{"latency": crowd.latency, "errors": crowd.errors, "seconds": burst_seconds}
                       for crowd, burst_seconds in zip(crowds, seconds)],
            "learners": learners, "cache": cache, "rounds": rounds, "workers": workers, "threads": threads,
            "profile": server_profile}


def profile_on(server, databases: dict) -> dict | str:
    """``server_profile`` on the server's database (after the load); its figures, or why there are none."""
    env = dict(server.env, BENCH_WORKBENCH_DATABASES=json.dumps(databases),
               BENCH_SETTINGS=server.env["DJANGO_SETTINGS_MODULE"])
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.server_profile"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return "the profile took over 600 s"
    if done.returncode != 0:
        return f"the profile failed: {done.stderr[-500:]}"
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return f"the profile printed no figures: {done.stdout[-300:]} {done.stderr[-300:]}"


def _p(values, q) -> float:
    return quantile(values, q) * 1e3


def _ratio(latency: dict, kind: str, q: float = 0.95) -> float:
    return _p(latency[kind], q) / _p(latency["noop"], q)


def http_latency(learners: int = 20, rounds: int = 30, store: str = "workbench", bursts: int = 3) -> list[Finding]:
    """Item 4 on the workbench's store; with ``store="lms"``, item 7's HTTP row on the LMS-shaped store."""
    section = "7 LMS-shaped store: HTTP" if store == "lms" else "4 HTTP"
    reason = unavailable_reason()
    if reason:
        return [Finding(section, "submit vs trivial handler under gunicorn + PostgreSQL", "not run", "", "",
                        f"p95 ratio ≤ {TARGET_P95_RATIO}", None, notes=[reason])]
    run = measure(learners, rounds, bursts=bursts, settings="benchmarks.bench_settings_lms" if store == "lms"
                  else "benchmarks.bench_settings")
    for burst in run["bursts"]:
        if burst["errors"] or not all(burst["latency"].values()):
            raise RuntimeError(f"{len(burst['errors'])} failed requests, e.g. {burst['errors'][:3]}")
    ranked = sorted(run["bursts"], key=lambda burst: _ratio(burst["latency"], "submit"))
    shown = ranked[(len(ranked) - 1) // 2]  # the median burst (the lower middle one of an even number)
    latency = shown["latency"]
    submit, noop, vote = latency["submit"], latency["noop"], latency["vote"]
    p50_ratio = _p(submit, 0.5) / _p(noop, 0.5)
    p95_ratio = _p(submit, 0.95) / _p(noop, 0.95)
    setting = (f"{learners} learners at once, gunicorn {run['workers']} workers × {run['threads']} threads, "
               f"the median of {len(ranked)} bursts of {len(submit)} requests of each kind, {shown['seconds']:.0f} s each"
               + (f", cache on {run['cache']}" if store == "lms" else ""))
    every_burst = ", ".join(f"{_ratio(burst['latency'], 'submit'):.2f}" for burst in run["bursts"])
    every_vote = ", ".join(f"{_ratio(burst['latency'], 'vote'):.2f}" for burst in run["bursts"])
    notes = [f"p95 ratio of each burst, in the order run: our submit {every_burst}; poll's vote {every_vote}"]
    if isinstance(run["profile"], dict):
        notes += [f"in-process on the same PostgreSQL database, {name}: {figures['ms']:.1f} ms under the profiler, "
                 f"{figures['queries']} SQL statements ({figures['writes']} writes, each its own commit); "
                 f"{figures['shares']}" for name, figures in run["profile"].items()]
    else:
        notes.append(f"no server-side profile: {run['profile']}")
    return [
        Finding(section, f"our submit vs the trivial handler ({setting})",
                f"p50 {_p(submit, 0.5):.0f} ms, p95 {_p(submit, 0.95):.0f} ms",
                f"trivial: p50 {_p(noop, 0.5):.0f} ms, p95 {_p(noop, 0.95):.0f} ms",
                f"p95 ratio {p95_ratio:.2f} (p50 ratio {p50_ratio:.2f})", f"p95 ratio ≤ {TARGET_P95_RATIO}",
                p95_ratio <= TARGET_P95_RATIO, notes=notes),
        Finding(section, "poll's vote in the same burst (informative)",
                f"p50 {_p(vote, 0.5):.0f} ms, p95 {_p(vote, 0.95):.0f} ms",
                f"trivial: p50 {_p(noop, 0.5):.0f} ms, p95 {_p(noop, 0.95):.0f} ms",
                f"p95 ratio {_p(vote, 0.95) / _p(noop, 0.95):.2f}", "", None),
    ]
