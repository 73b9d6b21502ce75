"""
When a learner may retake, and when the assessment invites them to.

The course sets a wait in days after a submission (0: none). A submit before the wait
is over is refused (the server enforces it; the page only mirrors it). The result
invites a retake, at its top, once the wait set is over, or once the learner has
completed every lesson opened for them (as the runtime's completion service reports).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

MAX_WAIT_DAYS = 365


def _parse(moment) -> datetime | None:
    if not isinstance(moment, str):
        return None
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def retake_opens_at(last_submitted_at, wait_days) -> datetime | None:
    """The moment the next attempt may be submitted; None when there is no wait (or no readable time)."""
    last = _parse(last_submitted_at)
    if last is None or not isinstance(wait_days, int) or isinstance(wait_days, bool) or wait_days <= 0:
        return None
    return last + timedelta(days=wait_days)


def must_wait(opens_at: datetime | None, now: datetime) -> bool:
    return opens_at is not None and now < opens_at


def invitation(opens_at: datetime | None, now: datetime, lessons_completed: bool | None,
               attempts_left: int | None) -> str | None:
    """
    Why the result invites a retake: ``"wait_over"``, ``"lessons_completed"``, or None.
    ``lessons_completed``: True when every opened lesson is complete, None when unknown.
    Nothing is offered while the wait runs or when no attempt is left.
    """
    if attempts_left == 0 or must_wait(opens_at, now):
        return None
    if opens_at is not None:
        return "wait_over"
    if lessons_completed:
        return "lessons_completed"
    return None
