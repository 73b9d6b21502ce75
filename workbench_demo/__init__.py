"""Settings and services that run competency-xblock in the XBlock SDK workbench (development only)."""
# The Celery app is made when Django loads the settings, so that shared tasks bind to it (as in the LMS).
from .celery import app as celery_app  # noqa: F401
