"""
The cohort figures as a background job: started or joined by staff, run by a Celery worker, kept for later visits.

Reading every learner's state takes seconds in a large course (about a minute for
100,000 learners on a slow machine), past a web worker's timeout; the platform's own
user state client asks for such work to run "in an async task"
(``lms/djangoapps/courseware/user_state_client.py``). So the staff handler only starts a
job (``start``) and answers at once; a Celery worker runs it (``tasks.cohort_figures`` ->
``run``); the staff view asks for its ``status`` until it ends.

Where the job lives: the Django cache named by ``COMPETENCY_XBLOCK_JOBS_CACHE``
(``default``). The LMS's web processes and its Celery workers share that cache (memcached
or Redis), it needs no migration or model, and its atomic ``add`` makes "one job per
block" a single call: of two staff pressing at once, one takes the block's lock and
starts the job, the other finds the lock and joins that job. Per block, three entries:

* ``lock``: the running job's id, while it runs. A running job renews it at every progress
  report, so it outlives a slow job but not a dead worker: a job whose lock expired
  without an end is reported as failed, and can be started again.
* ``job``: the last job's progress and end (``queued``, ``running``, ``done``, ``failed``
  with its reason), kept after it ends so that a failure is shown until the next try.
* ``figures``: the last figures worked out, with when, over how many learners, and the
  fingerprint of the settings they were worked out with (``cohort.CohortRules``); written
  once, whole, when a job succeeds, so a failed job leaves the previous figures as they
  were and nothing half-written is ever read. Kept without expiry; a cache that evicts
  them under memory pressure only costs staff one more press of the button.

Celery's eager mode (``task_always_eager``; the workbench demo without a broker) runs the
job inside ``start``: the handler then answers with the figures.
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime, timezone

from django.conf import settings
from django.core.cache import caches

from ..domain import cohort
from ..domain.pack_loader import PackError, parse_pack_cached
from . import openedx_platform, pack_sources

log = logging.getLogger(__name__)

LOCK_SECONDS = 10 * 60  # a job that reports no progress for this long is taken for dead
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# Why a job failed (the staff view words them): the pack cannot be loaded, the learners' states
# cannot be read, the job could not be queued, or it stopped without an end (its worker died).
BROKEN_PACK, UNREADABLE_STATE, NOT_QUEUED, LOST = "broken_pack", "unreadable_state", "not_queued", "lost"


def _cache():
    return caches[getattr(settings, "COMPETENCY_XBLOCK_JOBS_CACHE", "default")]


def _key(usage_id, entry: str) -> str:
    digest = hashlib.sha256(str(usage_id).encode("utf-8")).hexdigest()[:32]
    return f"competency_xblock.cohort.{digest}.{entry}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def job_settings(rules: cohort.CohortRules, item_overrides, course_pack: str = "",
                 course_pack_label: str = "course pack") -> dict:
    """
    What a worker needs to rebuild ``rules`` (plain JSON for the broker): the pack (the course's own
    pack's text when the block has one, as ``load_pack`` reads it; else the installed pack's id) and
    the block's settings.
    """
    return {"pack_id": rules.pack.id, "course_pack": course_pack or "", "course_pack_label": course_pack_label,
            "item_overrides": item_overrides, "cut_scores": list(rules.cut_scores),
            "self_assessment_weight": rules.self_assessment_weight, "retake_policy": rules.retake_policy,
            "grading_mode": rules.grading_mode}


def start(usage_id, job_settings_: dict) -> dict:
    """
    Start the figures job of block ``usage_id`` unless one is running, which is then joined;
    either way return ``status``. ``job_settings_`` comes from :func:`job_settings`.
    """
    cache = _cache()
    job_id = uuid.uuid4().hex
    if cache.add(_key(usage_id, "lock"), job_id, LOCK_SECONDS):
        cache.set(_key(usage_id, "job"), {"id": job_id, "state": QUEUED, "read": 0, "started_at": _now()}, None)
        from . import tasks  # pylint: disable=import-outside-toplevel  (tasks imports this module)
        try:
            tasks.cohort_figures.delay({"id": job_id, "usage_id": str(usage_id), "settings": job_settings_})
        except Exception as error:  # pylint: disable=broad-except  (the broker is down or refuses)
            log.exception("The cohort figures job of %s could not be queued", usage_id)
            _end(usage_id, job_id, FAILED, reason=NOT_QUEUED, detail=f"{type(error).__name__}: {error}")
    return status(usage_id)


def status(usage_id) -> dict:
    """
    ``{"job": ..., "kept": ...}``: the last job (None if none ran; else ``id``, ``state``,
    ``read``: learners read so far, and for a failure ``reason`` and ``detail``), and the
    kept figures (None, or ``figures``, ``computed_at``, ``learners``, ``fingerprint``, ``job_id``).
    """
    entries = _cache().get_many([_key(usage_id, entry) for entry in ("lock", "job", "figures")])
    running_id, job, kept = (entries.get(_key(usage_id, entry)) for entry in ("lock", "job", "figures"))
    if running_id and (not job or job.get("id") != running_id):
        job = {"id": running_id, "state": QUEUED, "read": 0}  # just taken by another request
    elif job and job.get("state") in (QUEUED, RUNNING) and not running_id:
        job = dict(job, state=FAILED, reason=LOST, detail="")  # its lock expired: the worker stopped
    return {"job": job, "kept": kept}


def run(job: dict) -> None:
    """The job (``tasks.cohort_figures``): read every learner's state, keep the figures, release the lock."""
    usage_id, job_id = job["usage_id"], job["id"]
    cache = _cache()
    if cache.get(_key(usage_id, "lock")) != job_id:
        log.warning("Cohort figures job %s of %s skipped: it is no longer the block's job", job_id, usage_id)
        return
    record = {"id": job_id, "state": RUNNING, "read": 0, "started_at": _now()}
    cache.set(_key(usage_id, "job"), record, None)

    def progress(read: int) -> None:
        cache.set(_key(usage_id, "job"), dict(record, read=read), None)
        cache.touch(_key(usage_id, "lock"), LOCK_SECONDS)

    try:
        rules = rules_from_settings(job["settings"])
    except PackError as error:
        _end(usage_id, job_id, FAILED, reason=BROKEN_PACK, detail=str(error))
        return
    try:
        states = user_state_client().iter_all_for_block(block_key(usage_id))
        figures = cohort.figures(rules, states, progress)
    except Exception as error:  # pylint: disable=broad-except  (a database error, a state the pass cannot read)
        log.exception("Cohort figures job %s of %s failed", job_id, usage_id)
        _end(usage_id, job_id, FAILED, reason=UNREADABLE_STATE, detail=f"{type(error).__name__}: {error}")
        return
    cache.set(_key(usage_id, "figures"), {"job_id": job_id, "computed_at": _now(), "learners": figures["learners"],
                                          "fingerprint": rules.fingerprint(), "figures": figures}, None)
    _end(usage_id, job_id, DONE, read=figures["learners"])


def _end(usage_id, job_id: str, state: str, **fields) -> None:
    """Record the end of job ``job_id`` and free the block for the next job."""
    cache = _cache()
    previous = cache.get(_key(usage_id, "job")) or {}
    cache.set(_key(usage_id, "job"), {"read": previous.get("read", 0), **fields, "id": job_id, "state": state,
                                      "ended_at": _now()}, None)
    if cache.get(_key(usage_id, "lock")) == job_id:
        cache.delete(_key(usage_id, "lock"))


def rules_from_settings(job_settings_: dict) -> cohort.CohortRules:
    """
    The job's ``CohortRules``: the course's own pack when the block has one, else the pack installed
    where the worker runs (``pack_sources``, as the block's ``load_pack``); raises PackError.
    """
    if job_settings_.get("course_pack"):
        pack = parse_pack_cached(job_settings_["course_pack"], job_settings_.get("course_pack_label", "course pack"))
    else:
        pack = pack_sources.installed_library().get(job_settings_["pack_id"])
    return cohort.CohortRules.from_settings(
        pack, job_settings_["item_overrides"], tuple(job_settings_["cut_scores"]),
        job_settings_["self_assessment_weight"], job_settings_["retake_policy"], job_settings_["grading_mode"])


def block_key(usage_id: str):
    """The block's key as the user state client takes it: a ``UsageKey`` in Open edX, the id itself elsewhere."""
    from opaque_keys import InvalidKeyError  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import UsageKey  # pylint: disable=import-outside-toplevel
    try:
        return UsageKey.from_string(usage_id)
    except InvalidKeyError:
        return usage_id  # the workbench's ids are plain strings


def user_state_client():
    """
    Every learner's state, read where the worker runs: the LMS's ``DjangoXBlockUserStateClient``,
    else the workbench demo's ``user_state_client`` service (``WORKBENCH["services"]``).
    """
    client = openedx_platform.user_state_client()
    if client is not None:
        return client
    from django.utils.module_loading import import_string  # pylint: disable=import-outside-toplevel
    service = getattr(settings, "WORKBENCH", {}).get("services", {}).get("user_state_client")
    if not service:
        raise LookupError("no user state client here (neither the LMS's nor a workbench service)")
    return import_string(service)()
