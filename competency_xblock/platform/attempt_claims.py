"""
One kept result per attempt, even when two submits by one learner race.

A runtime reads a learner's state when a request starts and writes it when the
request ends (the LMS loads the whole state of the block before the handler runs),
so two submits at once both see the same kept attempts: both would pass the attempt
limit, both would answer "submitted", and the later write would drop the other's
result. Each submit therefore first claims the attempt it is about to add, named by
the state it read (how many attempts were kept, and when the last was submitted), with
the Django cache's ``add``: it is atomic on the caches Open edX runs (memcached,
Redis) and on the database cache of the workbench demo, so of two submits that read
the same state exactly one gets the claim; the other is refused and changes nothing.
The cache must keep a claim for its whole time: one that evicts live entries early (a
small maximum size, memory pressure) lets a racing submit through again.
"""
from __future__ import annotations

import hashlib

from django.core.cache import caches

# Longer than any submit request takes. Only a learner whose kept attempts an instructor
# deleted, submitting again within this time of their last submission, is refused by
# mistake; they are told to try again.
CLAIM_SECONDS = 120
CACHE_ALIAS = "default"


def claim(usage_id, user_id, attempts_kept: int, last_submitted_at: str | None) -> str | None:
    """Claim the next attempt on the state read; its cache key, or None when another request has it."""
    name = f"{usage_id}|{user_id}|{attempts_kept}|{last_submitted_at}"
    key = "competency_xblock.attempt." + hashlib.sha256(name.encode("utf-8")).hexdigest()
    return key if caches[CACHE_ALIAS].add(key, 1, CLAIM_SECONDS) else None


def release(key: str) -> None:
    """Give a claim back, when the submit that holds it failed before its attempt was kept."""
    caches[CACHE_ALIAS].delete(key)
