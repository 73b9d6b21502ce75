"""
Two submits by one learner at once: exactly one is kept, the other is refused and changes nothing.

A runtime loads the learner's state before the handler runs (the LMS loads the whole
state of the block up front), so the second request here reads the state before the
first one's submit is saved, as a double click or a second tab would. The real
concurrency, on gunicorn and PostgreSQL, is in the load test (``test_load.py``).
"""
from __future__ import annotations

import pytest

from competency_xblock.platform import attempt_claims

from .conftest import answer_set
from .workbench import Learner

XML = '<competency_assessment pack_id="customer_service" max_attempts="{attempts}"/>'


def twin_requests(usage_id, user: str = "u1"):
    """Two requests by ``user``, each with its block and the state it read at its start."""
    first, second = Learner(user), Learner(user)
    blocks = first.block(usage_id), second.block(usage_id)
    for block in blocks:
        assert block.results == [] and block.answers == {}  # read now, before either submits
    return (first, blocks[0]), (second, blocks[1])


@pytest.mark.parametrize("attempts", [0, 1, 3])
def test_the_second_of_two_simultaneous_submits_is_refused(db, pack, attempts):
    usage_id = Learner("author").load(XML.format(attempts=attempts)).scope_ids.usage_id
    (first, first_block), (second, second_block) = twin_requests(usage_id)
    status, body = first.call(first_block, "submit", {"answers": answer_set(pack, "best")})
    assert status == 200 and body["level"] == 3
    status, body = second.call(second_block, "submit", {"answers": answer_set(pack, "worst")})
    assert status == 409
    assert "just been submitted" in body["error"]
    # the first submit is the one kept; the refused one published nothing and wrote nothing
    kept = Learner("u1").block(usage_id)
    assert [record["level"] for record in kept.results] == [3]
    assert kept.raw_score == first_block.raw_score
    assert second.events == []


def test_after_the_first_submit_is_saved_a_retake_is_a_new_attempt(db, pack):
    usage_id = Learner("author").load(XML.format(attempts=0)).scope_ids.usage_id
    learner = Learner("u1")
    for quality, level in [("best", 3), ("worst", 1), ("best", 3)]:
        status, body = learner.call(learner.block(usage_id), "submit", {"answers": answer_set(pack, quality)})
        assert (status, body["level"]) == (200, level)
    assert len(Learner("u1").block(usage_id).results) == 3


def test_other_learners_do_not_share_a_claim(db, pack):
    usage_id = Learner("author").load(XML.format(attempts=1)).scope_ids.usage_id
    learners = [Learner(user) for user in ("u1", "u2")]
    blocks = [learner.block(usage_id) for learner in learners]
    for learner, block in zip(learners, blocks):
        assert learner.call(block, "submit", {"answers": answer_set(pack, "best")})[0] == 200


def test_a_submit_that_fails_gives_its_claim_back(db, pack, monkeypatch):
    usage_id = Learner("author").load(XML.format(attempts=1)).scope_ids.usage_id
    learner = Learner("u1")
    block = learner.block(usage_id)

    def grade_service_down(*args, **kwargs):
        raise RuntimeError("the grades service is down")
    monkeypatch.setattr(type(block), "_publish_grade", grade_service_down)
    with pytest.raises(RuntimeError):
        learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    monkeypatch.undo()
    again = Learner("u1")
    status, body = again.call(again.block(usage_id), "submit", {"answers": answer_set(pack, "best")})
    assert status == 200 and body["level"] == 3


def test_claims_are_atomic_and_per_state(db):
    first = attempt_claims.claim("block", "u1", 0, None)
    assert first and attempt_claims.claim("block", "u1", 0, None) is None
    assert attempt_claims.claim("block", "u1", 1, "2026-11-23T10:00:00") is not None
    assert attempt_claims.claim("block", "u2", 0, None) is not None
    attempt_claims.release(first)
    assert attempt_claims.claim("block", "u1", 0, None) == first
