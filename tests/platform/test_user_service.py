"""
Contract: who is staff, by the ``user`` service, in the LMS and in Learning Core.

Platform: openedx/edx-platform, common/djangoapps/xblock_django/user_service.py
(``DjangoXBlockUserService`` puts its ``user_is_staff`` argument in
``opt_attrs['edx-platform.user_is_staff']``; constants in common/djangoapps/xblock_django/constants.py),
lms/djangoapps/courseware/block_render.py (the LMS passes course staff access) and
openedx/core/djangoapps/xblock/runtime/runtime.py (Learning Core passes ``user.is_staff``:
global staff), cms/djangoapps/contentstore/views/preview.py (Studio's preview sets
``runtime.is_author_mode = True``); master of the Ulmo cycle.

The block reads only that attribute, never ``runtime.user_is_staff``; in Studio's preview and
in a content library the cohort figures say why they are not shown, and a gate in a library
says it has no level to follow.
"""
from __future__ import annotations

import pytest
from opaque_keys.edx.locator import LibraryUsageLocatorV2
from xblock.reference.user_service import UserService, XBlockUser

from competency_xblock.platform import runtimes

ATTR_KEY_USER_IS_STAFF = "edx-platform.user_is_staff"


class PlatformUserService(UserService):
    """What DjangoXBlockUserService gives: an XBlockUser with the staff flag it was built with."""

    def __init__(self, user_is_staff: bool):
        super().__init__()
        self.user_is_staff = user_is_staff

    def get_current_user(self):
        user = XBlockUser(is_current_user=True)
        user.opt_attrs[ATTR_KEY_USER_IS_STAFF] = self.user_is_staff
        return user


def with_user_service(learner, block, user_is_staff: bool, monkeypatch):
    plain = type(learner.runtime).service
    service = PlatformUserService(user_is_staff)
    monkeypatch.setattr(learner.runtime, "service",
                        lambda block_, name: service if name == "user" else plain(learner.runtime, block_, name))
    return block


@pytest.mark.parametrize("flag", [True, False])
def test_staff_is_the_user_services_attribute_only(learner, assessment_xml, monkeypatch, flag):
    block = with_user_service(learner, learner.load(assessment_xml), flag, monkeypatch)
    learner.runtime.user_is_staff = not flag  # never read
    assert block.user_is_staff() is flag
    assert ("ca-staff" in learner.render(block)) is flag
    status, _body = learner.call(block, "staff_figures", {})
    assert (status == 200) is flag and (status == 403) is (not flag)


def test_studio_preview_shows_staff_why_there_are_no_figures(learner, assessment_xml, monkeypatch):
    block = with_user_service(learner, learner.load(assessment_xml), True, monkeypatch)
    learner.runtime.is_author_mode = True  # what Studio's preview runtime sets
    assert block.runtime_kind() == runtimes.STUDIO_PREVIEW
    assert block.user_state_client() is None  # even where the LMS's client would import
    # the figures' job is not started: staff are told why, in the message the staff shell shows
    status, body = learner.call(block, "staff_figures", {})
    assert status == 503 and "not in Studio" in body["error"]


def test_a_content_library_is_told_apart_by_its_usage_key():
    library_usage = LibraryUsageLocatorV2.from_string("lb:Org:customer-service:competency_assessment:cs_check")

    class Runtime:
        pass

    class Scope:
        usage_id = library_usage

    class Block:
        runtime = Runtime()
        scope_ids = Scope()
    assert runtimes.runtime_kind(Block()) == runtimes.LIBRARY
    Scope.usage_id = "competency_assessment.d0.u0"
    assert runtimes.runtime_kind(Block()) == runtimes.LMS
