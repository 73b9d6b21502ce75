"""
A key-value store shaped like the LMS's, for the benchmarks: a block's stored state read in one query, written once per save.

The XBlock SDK workbench's store (``workbench.runtime.WorkbenchDjangoKeyValueStore``) runs a
SELECT (a ``get_or_create``, so an INSERT for a row not yet there) for every field a block
reads, and a SELECT and an UPDATE, each its own commit, for every field it writes. The LMS
does not: per request, its ``FieldDataCache`` (``lms/djangoapps/courseware/model_data.py``)
fetches the learner's state of the blocks in one query (``_UserStateCache`` ->
``DjangoXBlockUserStateClient.get_many``, one ``StudentModule`` row per block and learner, the
fields as one JSON object), serves every field read from memory (``DjangoKeyValueStore.get``),
and ``block.save()`` hands all changed fields to ``set_many``, which saves each block's row
once (``DjangoXBlockUserStateClient.set_many``: one ``StudentModule`` save). A block's settings
and content come from the modulestore, which the LMS caches, not from SQL per field.

``LmsShapedStore`` models that on the workbench's own table (``workbench.models.XBlockState``,
one row per scope, scope id and user, the fields as one JSON object), so that the same blocks,
scenarios and user state client work on it:

* the first read of any field of a block loads, in one query, every row of that block the
  request may see: its usage's and definition's rows, shared (settings, content, the shared
  user-state summary) and the request's learner's (user state); later reads come from memory;
  a field with no row reads as unset, and creates nothing;
* ``set_many`` (what ``block.save()`` calls) writes each changed row once: one UPDATE, or one
  INSERT for a row not there yet; so does ``set`` for one field.

A store serves one request: the workbench makes a runtime per request, and ``install`` gives
each runtime its own store; the in-process benchmarks, which keep a runtime across operations,
start each operation with ``begin_request``. It is a model of the LMS's costs for the
benchmarks, never used by the block, the demo or the tests' runtime.
"""
from __future__ import annotations

import contextlib
import json
import re

from xblock.fields import Scope
from xblock.runtime import KeyValueStore, KvsFieldData

USAGE_SUFFIX = re.compile(r"\.u\d+$")  # the workbench's ids: {scenario}.{tag}.d{n}.u{m} (ScenarioIdManager)


def _row_identity(key) -> tuple[str, str, str | None, str | None, str]:
    """(scope, scope id, user id, scenario, tag) of the workbench row that holds ``key``, as ``XBlockState.get_for_key``."""
    from workbench.models import shorten_scope_name  # pylint: disable=import-outside-toplevel
    if key.scope in (Scope.parent, Scope.children):
        scope = shorten_scope_name(key.scope.attr_name)
    else:
        scope = shorten_scope_name(key.scope.block.attr_name)
    scope_id = key.block_scope_id
    if scope in ("type", "all"):
        scenario, tag = None, scope_id
    else:
        scenario, tag, _rest = scope_id.split(".", 2)
    return scope, scope_id, key.user_id, scenario, tag


class LmsShapedStore(KeyValueStore):
    """The field data of one request, as the LMS's ``FieldDataCache`` keeps it (see the module's docstring)."""

    def __init__(self, user_id: str | None):
        self.user_id = user_id
        self.begin_request()

    def begin_request(self) -> None:
        """Forget what was read: the next read goes to the database again, as in a new request."""
        self._rows: dict[tuple, object] = {}  # (scope, scope id, user id) -> XBlockState, or None: no row
        self._states: dict[tuple, dict] = {}  # the same key -> its fields, decoded once
        self._loaded: set[str] = set()  # definition ids whose rows are loaded

    # ----- reading ----------------------------------------------------------------------------------

    def _load(self, identity: tuple) -> None:
        """Load in one query every row of the block ``identity`` belongs to: shared ones and the learner's."""
        from django.db.models import Q  # pylint: disable=import-outside-toplevel
        from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
        scope, scope_id, user_id = identity[:3]
        if scope in ("type", "all"):  # per block type, or per user across blocks: a row of its own
            rows = XBlockState.objects.filter(scope=scope, scope_id=scope_id, user_id=user_id)
            self._rows[identity[:3]] = None
        else:
            definition_id = USAGE_SUFFIX.sub("", scope_id)
            if definition_id in self._loaded:
                self._rows.setdefault(identity[:3], None)
                return
            self._loaded.add(definition_id)
            users = Q(user_id__isnull=True) | (Q(user_id=self.user_id) if self.user_id is not None else Q())
            rows = XBlockState.objects.filter(
                (Q(scope_id=definition_id) | Q(scope_id__startswith=definition_id + ".u")) & users)
            self._rows.setdefault(identity[:3], None)
        for row in rows:
            self._rows[(row.scope, row.scope_id, row.user_id)] = row
            self._states[(row.scope, row.scope_id, row.user_id)] = json.loads(row.state)

    def _state(self, key) -> tuple[tuple, dict | None]:
        identity = _row_identity(key)
        if identity[:3] not in self._rows:
            self._load(identity)
            self._rows.setdefault(identity[:3], None)
        return identity, self._states.get(identity[:3])

    def get(self, key):
        _identity, state = self._state(key)
        if state is None or key.field_name not in state:
            raise KeyError(key.field_name)
        return state[key.field_name]

    def has(self, key) -> bool:
        _identity, state = self._state(key)
        return state is not None and key.field_name in state

    # ----- writing ----------------------------------------------------------------------------------

    def _save(self, identity: tuple, state: dict) -> None:
        """Write one row: one UPDATE, or one INSERT when it is not there yet."""
        from workbench.models import XBlockState  # pylint: disable=import-outside-toplevel
        scope, scope_id, user_id, scenario, tag = identity
        row = self._rows.get(identity[:3])
        if row is None:
            row = XBlockState(scope=scope, scope_id=scope_id, user_id=user_id, scenario=scenario, tag=tag)
            self._rows[identity[:3]] = row
        row.state = json.dumps(state)
        self._states[identity[:3]] = state
        if row.pk is None:
            row.save(force_insert=True)
        else:
            row.save(update_fields=["state"])

    def set_many(self, update_dict) -> None:
        """Every changed field, each row written once (what ``block.save()`` calls)."""
        changed: dict[tuple, tuple] = {}
        for key, value in update_dict.items():
            identity, state = self._state(key)
            if identity[:3] not in changed:
                changed[identity[:3]] = (identity, dict(state or {}))
            changed[identity[:3]][1][key.field_name] = value
        for identity, state in changed.values():
            self._save(identity, state)

    def set(self, key, value) -> None:
        self.set_many({key: value})

    def delete(self, key) -> None:
        identity, state = self._state(key)
        if state is not None and key.field_name in state:
            state = dict(state)
            del state[key.field_name]
            self._save(identity, state)


def install():
    """Give every ``WorkbenchRuntime`` made from now on its own ``LmsShapedStore``; the previous ``__init__``."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    original = WorkbenchRuntime.__init__

    def __init__(self, user_id=None):
        original(self, user_id)
        store = LmsShapedStore(user_id)
        self._services["field-data"] = KvsFieldData(store)  # pylint: disable=protected-access
        self.begin_request = store.begin_request

    WorkbenchRuntime.__init__ = __init__
    return original


@contextlib.contextmanager
def installed():
    """While inside, every ``WorkbenchRuntime`` made has its own ``LmsShapedStore`` (``runtime.begin_request``)."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    original = install()
    try:
        yield
    finally:
        WorkbenchRuntime.__init__ = original
