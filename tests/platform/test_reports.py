"""
Contract: the problem responses report calls ``generate_report_data`` and builds its header.

Platform: openedx/edx-platform, lms/djangoapps/instructor_task/tasks_helper/grades.py
(``ProblemResponses._build_student_data``, read at commit 4945f14d; master of the Ulmo cycle).
What the code does: for a block with ``generate_report_data`` it calls
``block.generate_report_data(user_state_client.iter_all_for_block(block_key), max_count)``
(positional; records with ``username`` and ``state``), catches ``NotImplementedError``, and
merges each ``(username, row)`` into that learner's response. It collects the column names
in first-seen order, taking a row's own order only when the row is an ``OrderedDict`` and
*sorting* any other mapping's names; the header is ``username, title, location``, those
names, then ``block_key, state``.
"""
from __future__ import annotations

from collections import OrderedDict, namedtuple

import pytest

from competency_xblock.blocks import loop
from competency_xblock.domain.reports import ReportRows

from ..conftest import answer_set

UserState = namedtuple("UserState", ["username", "block_key", "state", "updated", "scope"])


def platform_header(report_rows) -> list[str]:
    """ProblemResponses' column order for the rows a block's generate_report_data gave."""
    seen = OrderedDict()
    for _username, row in report_rows:
        for key in (row.keys() if isinstance(row, OrderedDict) else sorted(row.keys())):
            seen[key] = 1
    return ["username", "title", "location", *seen, "block_key", "state"]


def states_of(learner, block, pack, qualities):
    states = []
    for number, quality in enumerate(qualities):
        learner.runtime.user_id = f"report-learner-{number}"
        mine = learner.runtime.get_block(block.scope_ids.usage_id)
        learner.call(mine, "submit", {"answers": answer_set(pack, quality)})
        states.append(UserState(f"report-learner-{number}", block.scope_ids.usage_id,
                                {"results": mine.results, "raw_score": mine.raw_score,
                                 "state_version": mine.state_version}, None, "user_state"))
    return states


def test_the_header_comes_out_in_the_documented_order(learner, assessment_xml, pack):
    block = learner.load(assessment_xml)
    rows = list(block.generate_report_data(iter(states_of(learner, block, pack, ["best", "worst"])), None))
    assert [username for username, _row in rows] == ["report-learner-0", "report-learner-1"]
    documented = ReportRows(pack, pack.items, block.language(pack), block.ugettext).columns
    changes = [name for _dimension, name in loop.report_change_columns(pack, block.language(pack), block.ugettext)]
    assert platform_header(rows) == ["username", "title", "location", *documented, *changes, "block_key", "state"]
    assert documented[:3] == ["Level", "Level name", "Overall (%)"] and documented[-1] == "Answers"
    assert len(changes) == len(pack.dimensions)
    # the same rows as plain dicts would come out sorted: the OrderedDict is what keeps the order
    assert platform_header([(name, dict(row)) for name, row in rows]) != platform_header(rows)


def test_the_call_is_positional_and_the_limit_holds(learner, assessment_xml, pack):
    block = learner.load(assessment_xml)
    states = states_of(learner, block, pack, ["best", "middling", "worst"])
    assert len(list(block.generate_report_data(iter(states), 2))) == 2


def test_a_broken_pack_raises_what_the_platform_catches(learner):
    block = learner.load('<competency_assessment pack_id="no_such_pack"/>')
    with pytest.raises(NotImplementedError):
        list(block.generate_report_data(iter([]), None))
