"""The workbench demo's field storage writes a save's fields of one row at once, keeping the others."""
from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from workbench.models import XBlockState

from .conftest import answer_set
from .workbench import Learner


def stored_state(usage_id, user_id) -> dict:
    return json.loads(XBlockState.objects.get(scope="usage", scope_id=str(usage_id), user_id=user_id).state)


def test_the_demo_runtime_uses_it(learner):
    assert type(learner.runtime.service(learner.load("<competency_assessment/>"), "field-data")).__name__ == \
        "DemoFieldData"


def test_a_save_writes_its_fields_in_one_update_and_keeps_the_others(learner, pack):
    usage_id = learner.load("<competency_assessment/>").scope_ids.usage_id
    learner.call(learner.block(usage_id), "save_answers", {"answers": {"angry_complaint": "a"}})
    block = learner.block(usage_id)
    block.results = [{"level": 3}]
    block.raw_score = {"raw_earned": 90.0, "raw_possible": 100.0}
    with CaptureQueriesContext(connection) as queries:
        block.save()
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    state = stored_state(usage_id, "learner")
    assert state["results"] == [{"level": 3}] and state["raw_score"]["raw_earned"] == 90.0
    assert state["answers"] == {"angry_complaint": "a"}  # written by another request, kept


def test_a_stale_block_does_not_undo_fields_it_did_not_change(learner, pack):
    usage_id = learner.load("<competency_assessment/>").scope_ids.usage_id
    stale = Learner("learner").block(usage_id)
    assert stale.answers == {}  # read before the submit below
    status, _ = learner.call(learner.block(usage_id), "submit", {"answers": answer_set(pack, "best")})
    assert status == 200
    stale.answers = {"angry_complaint": "b"}
    stale.save()
    state = stored_state(usage_id, "learner")
    assert len(state["results"]) == 1 and state["answers"] == {"angry_complaint": "b"}
