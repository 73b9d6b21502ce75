"""
The workbench's field storage, with each save written the way the LMS writes it: at once.

The XBlock SDK's store keeps all of a block's fields for one user in one row (a JSON
object) and writes each field on its own: read the row, change one field, write the row
back, commit. When two requests of one learner save at the same time, one request's
row write can put back a field the other had just written; the load test lost 2 of 458
kept attempts that way. This store writes every field a save changes in one row in one
transaction, with the row locked first (``SELECT ... FOR UPDATE`` on PostgreSQL), so a
save never undoes another's fields, as the LMS saves a learner's state of a block in one
write. Reads are the SDK's.
"""
from __future__ import annotations

import json

from django.db import transaction
from workbench.models import XBlockState
from workbench.runtime import WorkbenchDjangoKeyValueStore
from xblock.runtime import KvsFieldData


class OneWritePerRowKeyValueStore(WorkbenchDjangoKeyValueStore):
    """The SDK's key-value store, whose ``set_many`` writes each row once, locked."""

    def set_many(self, update_dict):
        rows: dict[tuple, dict] = {}
        for key, value in update_dict.items():
            row_key = (key.scope, key.user_id, key.block_scope_id, key.block_family)
            rows.setdefault(row_key, {"key": key, "fields": {}})["fields"][key.field_name] = value
        with transaction.atomic():
            for row in rows.values():
                created = XBlockState.get_for_key(row["key"])  # creates the row when it is new
                record = XBlockState.objects.select_for_update().get(pk=created.pk)
                state = json.loads(record.state)
                state.update(row["fields"])
                record.state = self._to_json_str(state)
                record.save(update_fields=["state"])


class DemoFieldData(KvsFieldData):
    """The ``field-data`` service of the workbench demo (``workbench_demo.settings``)."""

    def __init__(self):
        super().__init__(OneWritePerRowKeyValueStore())
