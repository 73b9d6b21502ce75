"""Workbench settings for the demo and the tests: the SDK's, plus a user service that knows staff."""
import os

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import LOGGING, WORKBENCH

os.makedirs("var", exist_ok=True)

WORKBENCH["services"]["user"] = "workbench_demo.services.DemoUserService"

# Learners named here are course staff in the demo (the workbench picks the user with ?student=).
COMPETENCY_DEMO_STAFF_USERS = set(os.environ.get("COMPETENCY_DEMO_STAFF_USERS", "staff").split(","))

LOGGING["handlers"]["logfile"]["filename"] = os.path.join("var", "workbench.log")
LANGUAGES = [("en", "English"), ("pl", "Polski")]
