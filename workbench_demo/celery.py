"""
The demo's Celery app, set up as the LMS sets up its own (``lms/celery.py``,
``openedx/core/lib/celery/__init__.py``): settings from Django, tasks found in the
installed apps, so the package's ``shared_task`` binds to it.

With no broker (``COMPETENCY_CELERY_BROKER_URL`` unset: ``make dev``) tasks run eagerly,
in the request; ``tests/test_celery_worker.py`` sets a Redis broker and starts a real worker.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench_demo.settings")

app = Celery("workbench_demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
