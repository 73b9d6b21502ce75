"""
Where a request's time goes on PostgreSQL: the HTTP benchmark's three handlers, profiled
in one process on the benchmark server's database.

    BENCH_WORKBENCH_DATABASES='{"default": {...}}' python -m benchmarks.server_profile

``http_latency`` runs this against its PostgreSQL cluster after the load, and puts the
printed JSON ({handler: {"ms", "queries", "shares"}}) in RESULTS.md. It calls the handlers
as the workbench's handler view does (``runtime.handle`` on a freshly loaded block), so
what it leaves out is Django's request handling, which the trivial handler's latency
over HTTP shows.
"""
from __future__ import annotations

import json
import os
import sys


def main(repetitions: int = 20) -> int:
    # the server's settings: bench_settings, or bench_settings_lms for the LMS-shaped store (item 7)
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get("BENCH_SETTINGS", "benchmarks.bench_settings")
    from .env import Driver, setup_django  # pylint: disable=import-outside-toplevel
    setup_django()
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel

    from .inprocess import Stage  # pylint: disable=import-outside-toplevel
    from .noop_block import BLOCK_TYPE  # pylint: disable=import-outside-toplevel
    from .profiles import profile  # pylint: disable=import-outside-toplevel

    stage = Stage()
    noop_usage = Driver("bench-author").load(f"<{BLOCK_TYPE}/>")

    def noop():
        learner = Driver.fresh("bench-profile-noop")
        return lambda: learner.post(noop_usage, "noop", b"{}")

    cases = {"our submit": stage.submit_ours, "the trivial handler": noop}
    if stage.with_poll:
        cases["poll's vote"] = stage.vote_poll
    found = {}
    for name, case in cases.items():
        operation = case()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            operation()
        result = profile(case, repetitions)
        writes = sum(1 for query in queries.captured_queries if query["sql"].startswith(("UPDATE", "INSERT")))
        found[name] = {"ms": result.seconds / repetitions * 1e3, "queries": len(queries.captured_queries),
                       "writes": writes, "shares": result.shares_text()}
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
