"""Workbench settings for the demo and the tests: the SDK's, plus a user service that knows staff."""
import os

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import LOGGING, WORKBENCH

os.makedirs("var", exist_ok=True)

WORKBENCH["services"]["user"] = "workbench_demo.services.DemoUserService"
# Every learner's saved state of a block, for the staff view's cohort figures (the LMS has its own).
WORKBENCH["services"]["user_state_client"] = "competency_xblock.platform.workbench_store.WorkbenchUserStateClient"
# Which blocks each learner has completed, as edx-completion's CompletionService answers it.
WORKBENCH["services"]["completion"] = "workbench_demo.services.DemoCompletionService"

# Learners named here are course staff in the demo (the workbench picks the user with ?student=).
COMPETENCY_DEMO_STAFF_USERS = set(os.environ.get("COMPETENCY_DEMO_STAFF_USERS", "staff").split(","))

# A cache every server process shares, as the LMS's memcached or Redis is: a submit claims its
# attempt there with an atomic add (competency_xblock.platform.attempt_claims). `make migrate` creates the table.
# Claims must outlive their requests: Django's default of 300 entries would cull live ones
# under load (two racing submits could then both be kept).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "competency_workbench_cache", "OPTIONS": {"MAX_ENTRIES": 1_000_000}}}

# The workbench's pages, and a phone webview of an assessment without them (workbench_demo/webview.py).
ROOT_URLCONF = "workbench_demo.urls"

LOGGING["handlers"]["logfile"]["filename"] = os.path.join("var", "workbench.log")
LANGUAGES = [("en", "English"), ("pl", "Polski"), ("ru", "Русский"), ("lv", "Latviešu")]

# The UI language follows the browser (Accept-Language) or the django_language cookie, as the LMS
# follows the learner's preference. The block's catalogues are found as Open edX finds them
# (workbench_demo/i18n.py): no LOCALE_PATHS, so nothing else finds them by accident.
from workbench.settings import INSTALLED_APPS, MIDDLEWARE  # noqa: E402  pylint: disable=wrong-import-position

MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
                  "django.middleware.locale.LocaleMiddleware")

# The package's Django app, found as the LMS finds plugin apps (lms/envs/common.py):
# the `lms.djangoapp` entry point, through edx-django-utils. It brings the cohort figures' Celery task.
from edx_django_utils.plugins import add_plugins, get_plugin_apps  # noqa: E402  pylint: disable=wrong-import-position

INSTALLED_APPS = [*INSTALLED_APPS, *get_plugin_apps("lms.djangoapp")]  # noqa: F405
add_plugins(__name__, "lms.djangoapp", "common")

# Celery: eager (tasks run in the request) unless a broker is named, as the Celery + Redis test does.
CELERY_BROKER_URL = os.environ.get("COMPETENCY_CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

INSTALLED_APPS = [*INSTALLED_APPS, "workbench_demo.apps.WorkbenchDemoConfig"]
WORKBENCH["services"]["i18n"] = "workbench_demo.i18n.DemoI18nServices"
# Where `atlas pull` would put translations (conf/plugins-locale/xblock.v1 of edx-platform) and
# where the platform's compiled JavaScript catalogues would be; empty in the demo.
COMPETENCY_DEMO_PLUGINS_LOCALE_ROOT = os.path.join("var", "conf", "plugins-locale", "xblock.v1")
COMPETENCY_DEMO_STATICI18N_ROOT = os.path.join("var", "static", "statici18n")
