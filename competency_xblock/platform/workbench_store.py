"""
Read access to the competency assessments stored by the XBlock SDK workbench.

The workbench keeps every field of every block in one table,
``workbench.models.XBlockState``: one row per (scope, scope id, user), the fields as
a JSON object in ``state``. The ``competency-xblock report`` command (``workbench_report``) and the
demo's ``user_state_client`` service (``WorkbenchUserStateClient``, which the staff
view's cohort figures read) reach that table only through this module.

Nothing here loads the workbench scenarios: loading them rewrites the blocks' stored
settings, and would reset what the commands are meant to read. Blocks are built from
their stored fields instead (``block_for``).

Django, the workbench and XBlock are imported inside the functions, so that importing
this module (and ``cli``) costs nothing and the pure modules stay free of them. Call
``setup_django`` before any other function.
"""
from __future__ import annotations

import json
import os
import sys
from collections import namedtuple
from typing import Iterator, NamedTuple

BLOCK_TYPE = "competency_assessment"
DEFAULT_SETTINGS = "workbench_demo.settings"


class WorkbenchStoreError(Exception):
    """The workbench database cannot be used; the message says why and what to do."""


class StoredState(NamedTuple):
    """One learner's user-state row of a block, its JSON already parsed."""

    user_id: str
    state: object  # whatever JSON the row holds; the workbench writes an object
    created: object  # datetime the row was created (the workbench never updates it)


# The shape of the records edx-platform's XBlockUserStateClient yields.
UserState = namedtuple("UserState", ["username", "block_key", "state", "updated", "scope"])


def setup_django() -> None:
    """
    Set up Django with the workbench settings, as ``manage.py`` would from the project folder.

    ``DJANGO_SETTINGS_MODULE`` is used when set, ``workbench_demo.settings`` otherwise; the
    current folder is put on ``sys.path`` because that settings module lives in the project
    folder, not in the installed package. Raises ``WorkbenchStoreError`` when the settings
    module cannot be imported.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    import django  # pylint: disable=import-outside-toplevel
    try:
        django.setup()
    except ImportError as error:
        raise WorkbenchStoreError(f"cannot load the Django settings {os.environ['DJANGO_SETTINGS_MODULE']!r} "
                                  f"({error}); run the command from the project folder or set "
                                  "DJANGO_SETTINGS_MODULE") from None


def assessments(*, require_block_state: bool = False) -> list[tuple[str | None, str]]:
    """
    ``(scenario slug, usage id)`` of every competency assessment with stored state, sorted.

    An assessment is listed when any usage-scoped row of it is stored, a learner's or the
    block's own; with ``require_block_state`` only when the block's own (user-less) row is,
    that is, when its settings and shared fields can be read back. Raises
    ``WorkbenchStoreError`` when the database cannot be read (not migrated, for one).
    """
    from django.db import DatabaseError  # pylint: disable=import-outside-toplevel
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rows = XBlockState.objects.filter(scope="usage", tag=BLOCK_TYPE)
    if require_block_state:
        rows = rows.filter(user_id__isnull=True)
    try:
        return sorted(set(rows.values_list("scenario", "scope_id")))
    except DatabaseError as error:
        raise WorkbenchStoreError(f"cannot read the workbench database ({error}); run `make dev` (or "
                                  "`make migrate`) first and answer an assessment in the workbench") from None


def learner_states(usage_id: str) -> Iterator[StoredState]:
    """
    Every learner's stored user state of the block ``usage_id``, by user id, then row id.

    Rows whose ``state`` is not JSON are skipped (they count nobody); any other JSON value
    is passed on as it is. The rows are streamed, not loaded at once.
    """
    from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
    rows = (XBlockState.objects.filter(scope="usage", scope_id=usage_id, user_id__isnull=False)
            .order_by("user_id", "id").values_list("user_id", "state", "created"))
    for user_id, text, created in rows.iterator():
        try:
            state = json.loads(text)
        except ValueError:
            continue
        yield StoredState(user_id, state, created)


def block_for(usage_id: str, user_id: str | None = None):
    """
    The assessment ``usage_id`` as ``user_id`` sees it, built from its stored fields.

    ``user_id`` None gives the block without a learner: its settings and shared fields.
    The block runs in a ``WorkbenchRuntime`` for that user, so ``save()`` writes to the
    workbench database. The definition id is the usage id without its ``.u<n>`` suffix,
    as the workbench's ``ScenarioIdManager`` makes them.
    """
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    from xblock.fields import ScopeIds  # pylint: disable=import-outside-toplevel
    runtime = WorkbenchRuntime(user_id)
    definition_id = usage_id.rsplit(".u", 1)[0]
    return runtime.construct_xblock_from_class(runtime.load_block_type(BLOCK_TYPE),
                                               ScopeIds(user_id, BLOCK_TYPE, definition_id, usage_id))


def user_states(usage_id: str) -> Iterator[UserState]:
    """The learners' stored states of ``usage_id`` in the shape of the platform's user state client."""
    for stored in learner_states(usage_id):
        yield UserState(stored.user_id, usage_id, stored.state, stored.created, "user_state")


class WorkbenchUserStateClient:
    """
    The ``user_state_client`` service of the workbench demo (``workbench_demo.settings``).

    Like edx-platform's ``XBlockUserStateClient``, it reads every learner's state of a
    block; here from the workbench's ``XBlockState`` table, streamed, by user id.
    """

    def iter_all_for_block(self, block_key, scope=None) -> Iterator[UserState]:  # pylint: disable=unused-argument
        """Every learner's user state of the block ``block_key`` (``scope`` is always user state here)."""
        return user_states(str(block_key))
