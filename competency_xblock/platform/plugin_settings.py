"""The package's settings in Open edX, applied by edx-django-utils' ``add_plugins`` (see ``apps``)."""


def plugin_settings(settings):
    """
    Defaults an operator may override in their settings; nothing must be set.

    ``COMPETENCY_XBLOCK_JOBS_CACHE``: the alias of the Django cache that holds the cohort
    jobs' progress and kept figures (``cohort_jobs``). It must be shared by the LMS's web
    processes and its Celery workers; Open edX's ``default`` cache (memcached or Redis) is.
    """
    if not hasattr(settings, "COMPETENCY_XBLOCK_JOBS_CACHE"):
        settings.COMPETENCY_XBLOCK_JOBS_CACHE = "default"
