"""
The web side of the Celery + Redis test, as a process of its own (``test_celery_worker.py`` runs it
with the worker's environment: one broker, one cache, one database).

It fills the workbench store with ``--learners`` learners (some really answer the assessment
through the block, 1 to 3 attempts or only a draft; their stored states are then copied under new
user ids), works the figures out here (``cohort_report``, in this process), has two members of
staff press the button at the same moment, and follows the job the worker runs until it ends.
It prints one JSON line: what the presses and the status answered, the job's figures and the
in-process ones.
"""
from __future__ import annotations

import argparse
import json
import random
import threading
import time

import django

django.setup()

# pylint: disable=wrong-import-position
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from benchmarks.synthetic import random_answers  # noqa: E402
from competency_xblock.platform import cohort_jobs  # noqa: E402
from tests.workbench import Learner  # noqa: E402

REAL_LEARNERS = 60
XML = '<competency_assessment pack_id="customer_service" retake_policy="best" cut_scores="[45, 75]"/>'


def fill_store(learners: int, seed: int = 18) -> str:
    """An assessment whose store holds ``learners`` learner states; its usage id."""
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rng = random.Random(seed)
    staff = Learner("staff")
    usage_id = staff.load(XML).scope_ids.usage_id
    pack = staff.block(usage_id).load_pack()
    for number in range(REAL_LEARNERS):
        learner = Learner(f"real{number}")
        block = learner.block(usage_id)
        if number % 10 == 9:  # a draft, never submitted: read, and not counted
            status, _ = learner.call(block, "save_answers", {"answers": {pack.items[0].id: pack.items[0].options[0].id}})
        for _attempt in range(rng.choice((1, 1, 2, 3)) if number % 10 != 9 else 0):
            status, body = learner.call(learner.block(usage_id), "submit", {"answers": random_answers(pack, rng)})
            assert status == 200, body
    rows = list(XBlockState.objects.filter(scope="usage", scope_id=str(usage_id), user_id__isnull=False))
    copies = []
    for number in range(learners - len(rows)):
        row = rows[number % len(rows)]
        copies.append(XBlockState(scope=row.scope, scope_id=row.scope_id, user_id=f"synthetic{number:06d}",
                                  scenario=row.scenario, tag=row.tag, state=row.state))
    XBlockState.objects.bulk_create(copies, batch_size=2000)
    return str(usage_id)


def press_at_once(usage_id: str) -> list[dict]:
    """Two members of staff press the button at the same moment (two threads, as two web requests)."""
    answers: list[dict] = [{}, {}]
    start = threading.Barrier(2)

    def press(index: int, user: str):
        learner = Learner(user)
        block = learner.block(usage_id)
        start.wait()
        status, body = learner.call(block, "staff_figures", {})
        answers[index] = {"status": status, **body}
        connection.close()

    threads = [threading.Thread(target=press, args=(index, user)) for index, user in enumerate(("staff", "staff2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def follow(usage_id: str, timeout: float) -> list[dict]:
    """The status answers, every 0.1 s, until the job is no longer queued or running."""
    seen = []
    deadline = time.monotonic() + timeout
    staff = Learner("staff")
    while time.monotonic() < deadline:
        status, body = staff.call(staff.block(usage_id), "staff_figures_status", b"", method="GET")
        seen.append({"status": status, "state": body.get("state"), "read": body.get("read"),
                     "job_id": body.get("job_id"), "learners": body.get("learners"), "html": body.get("html", "")})
        if body.get("state") not in ("queued", "running"):
            break
        time.sleep(0.1)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    call_command("migrate", run_syncdb=True, verbosity=0)
    usage_id = fill_store(args.learners)
    block = Learner("staff").block(usage_id)
    in_process = block.cohort_report(block.load_pack())
    started = time.perf_counter()
    presses = press_at_once(usage_id)
    seen = follow(usage_id, args.timeout)
    seconds = time.perf_counter() - started
    kept = cohort_jobs.status(usage_id)["kept"]
    print(json.dumps({"presses": [{key: press.get(key) for key in ("status", "state", "job_id")} for press in presses],
                      "seen": [{key: value for key, value in answer.items() if key != "html"} for answer in seen],
                      "last_html": seen[-1]["html"] if seen else "", "seconds": seconds,
                      "job": kept and kept["figures"], "in_process": in_process}))


if __name__ == "__main__":
    main()
