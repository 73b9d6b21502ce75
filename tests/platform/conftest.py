"""Fixtures of the platform contract tests: a learner of the workbench, blocks built from OLX."""
from __future__ import annotations

import pytest

from ..workbench import Learner


@pytest.fixture
def learner(db):
    return Learner("platform-learner")


@pytest.fixture
def assessment_xml():
    return '<competency_assessment url_name="cs_check" pack_id="customer_service" max_attempts="3"/>'
