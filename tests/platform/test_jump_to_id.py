"""
Contract: the links to lessons reach them in the LMS.

Platform: openedx/edx-platform, lms/urls.py (``r'^courses/{}/jump_to_id/(?P<module_id>.*)$'``
with ``settings.COURSE_ID_PATTERN``), openedx/core/constants.py (``COURSE_KEY_PATTERN``) and
lms/djangoapps/courseware/views/views.py (``jump_to_id`` finds the block whose *block id*
(url_name) is ``module_id`` in the course); master of the Ulmo cycle.
"""
from __future__ import annotations

import re
from unittest import mock

from opaque_keys.edx.keys import CourseKey, UsageKey

from competency_xblock.blocks.gate import block_url

COURSE_KEY_PATTERN = r"(?P<course_key_string>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)"
COURSE_ID_PATTERN = COURSE_KEY_PATTERN.replace("course_key_string", "course_id")
JUMP_TO_ID = re.compile(r"^/courses/{}/jump_to_id/(?P<module_id>.*)$".format(COURSE_ID_PATTERN))


def fake_block(usage_key):
    return mock.Mock(scope_ids=mock.Mock(usage_id=usage_key))


def test_a_course_block_links_through_jump_to_id_by_its_block_id():
    usage = UsageKey.from_string("block-v1:Org+CS101+2025+type@competency_gate+block@difficult_customers")
    match = JUMP_TO_ID.match(block_url(fake_block(usage), "competency-gate"))
    assert match, block_url(fake_block(usage), "competency-gate")
    assert CourseKey.from_string(match["course_id"]) == usage.course_key
    assert match["module_id"].split("#")[0] == usage.block_id


def test_outside_a_course_the_link_is_an_anchor_on_the_page():
    url = block_url(fake_block("competency_gate.d0.u0"), "competency-gate")
    assert url.startswith("#") and not JUMP_TO_ID.match(url)
