"""
The one place the block reaches into edx-platform's own code.

Open edX offers XBlocks no service to read other learners' state, yet its problem
responses report reads it with the LMS's ``DjangoXBlockUserStateClient``; the staff
view's cohort figures use the same client. Outside the LMS (the workbench, Studio, a
test) the import fails and the figures say they are not available, unless the runtime
offers a ``user_state_client`` service of its own (see ``services``).
"""
from __future__ import annotations

import importlib

USER_STATE_CLIENT = ("lms.djangoapps.courseware.user_state_client", "DjangoXBlockUserStateClient")


def user_state_client():
    """A new ``DjangoXBlockUserStateClient`` when running in the LMS; None elsewhere."""
    module_name, class_name = USER_STATE_CLIENT
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, class_name)()
