"""
How Open edX installs the package's Django app and finds the cohort figures' Celery task, done the platform's way.

The platform's side, as its source has it:

* ``lms/envs/common.py`` (and ``cms/envs/common.py``): ``INSTALLED_APPS.extend(get_plugin_apps(
  ProjectType.LMS))`` and ``add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)``, with
  ``ProjectType.LMS = 'lms.djangoapp'`` and ``SettingsType.COMMON = 'common'``
  (``openedx/core/djangoapps/plugins/constants.py``).
* edx-django-utils ``plugins/plugin_apps.py``: ``get_apps`` lists the AppConfig classes of the
  project type's entry point that have a ``plugin_app`` attribute (``registry.py``: stevedore's
  ``ExtensionManager(namespace=project_type)``).
* ``openedx/core/lib/celery/__init__.py`` (``lms/celery.py`` before it): ``APP =
  Celery('proj')``; ``APP.config_from_object('django.conf:settings')``; ``APP.autodiscover_tasks()``,
  which imports the ``tasks`` module of every installed app.

The tests call edx-django-utils' own functions (as the platform does) on the installed package's
entry points, and build a Celery app as the platform builds its own, in a fresh interpreter.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import types

import pytest
from edx_django_utils.plugins import add_plugins, get_plugin_apps

from workbench_demo.server_process import REPO_ROOT

APP = "competency_xblock.platform.apps.CompetencyXBlockConfig"
TASK = "competency_xblock.cohort_figures"


@pytest.mark.parametrize("project_type", ["lms.djangoapp", "cms.djangoapp"])
def test_the_platform_lists_the_app_among_its_plugin_apps(project_type):
    assert APP in get_plugin_apps(project_type)


def test_the_plugin_settings_default_the_jobs_cache_and_keep_an_operators_choice():
    settings = types.ModuleType("lms_envs_common_stand_in")
    sys.modules[settings.__name__] = settings
    try:
        add_plugins(settings.__name__, "lms.djangoapp", "common")
        assert settings.COMPETENCY_XBLOCK_JOBS_CACHE == "default"
        settings.COMPETENCY_XBLOCK_JOBS_CACHE = "jobs"
        add_plugins(settings.__name__, "lms.djangoapp", "common")
        assert settings.COMPETENCY_XBLOCK_JOBS_CACHE == "jobs"
    finally:
        del sys.modules[settings.__name__]


# A settings module in the LMS's pattern (lms/envs/common.py), with or without its plugin apps.
PLATFORM_SETTINGS = """
import os
from edx_django_utils.plugins import get_plugin_apps
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
if os.environ["WITH_PLUGINS"] == "yes":
    INSTALLED_APPS.extend(get_plugin_apps("lms.djangoapp"))
DATABASES = {}
"""
# Then the platform's Celery app (openedx/core/lib/celery/__init__.py), in a fresh interpreter.
PLATFORM_CELERY = """
import json
import django
django.setup()
from celery import Celery
APP = Celery("proj")
APP.config_from_object("django.conf:settings")
APP.autodiscover_tasks()
APP.loader.import_default_modules()  # what a worker does when it starts
print(json.dumps(sorted(name for name in APP.tasks if not name.startswith("celery."))))
"""


def celery_tasks(tmp_path, with_plugins: bool) -> list[str]:
    (tmp_path / "platform_settings_stand_in.py").write_text(PLATFORM_SETTINGS, encoding="utf-8")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="platform_settings_stand_in",  # Celery's Django fixup needs it
               WITH_PLUGINS="yes" if with_plugins else "no",
               PYTHONPATH=os.pathsep.join([str(tmp_path), str(REPO_ROOT)]))
    run = subprocess.run([sys.executable, "-c", PLATFORM_CELERY], capture_output=True, text=True,
                         cwd=str(tmp_path), env=env, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_celery_app_built_as_the_platforms_finds_the_task_through_the_plugin_app(tmp_path):
    assert TASK in celery_tasks(tmp_path, with_plugins=True)
    assert TASK not in celery_tasks(tmp_path, with_plugins=False), "found without the app: the check proves nothing"
