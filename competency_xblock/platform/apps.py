"""
The package's Django app, which Open edX installs by itself: it is how the platform's Celery workers find the cohort job.

The LMS adds every app registered under the ``lms.djangoapp`` entry point to its
``INSTALLED_APPS`` (``lms/envs/common.py``: ``INSTALLED_APPS.extend(get_plugin_apps(...))``;
edx-django-utils' ``get_plugin_apps`` lists the entry point's AppConfig classes that have a
``plugin_app`` attribute), and its Celery app imports the ``tasks`` module of every installed
app (``openedx/core/lib/celery/__init__.py``: ``APP.autodiscover_tasks()``). So installing the
wheel is enough for the workers to run ``competency_xblock.platform.tasks``: no operator edit.
Studio (``cms.djangoapp``) gets it too, so that a job started from Studio's preview finds
Studio's workers ready.
"""
from django.apps import AppConfig


class CompetencyXBlockConfig(AppConfig):
    """The app; it has no models, URLs or migrations, only the task module and a setting's default."""

    name = "competency_xblock.platform"  # autodiscover_tasks() imports competency_xblock.platform.tasks
    label = "competency_xblock"
    verbose_name = "Competency XBlock"

    # edx-django-utils' plugin settings: the platform runs plugin_settings.plugin_settings(settings)
    # while it loads its settings (add_plugins(__name__, project type, settings type)).
    plugin_app = {
        "settings_config": {
            project_type: {"common": {"relative_path": "plugin_settings"}}
            for project_type in ("lms.djangoapp", "cms.djangoapp")
        },
    }
