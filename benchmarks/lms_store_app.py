"""A benchmark-only Django app whose start gives every workbench runtime the LMS-shaped store (``bench_settings_lms``)."""
from django.apps import AppConfig


class LmsShapedStoreConfig(AppConfig):
    name = "benchmarks"
    label = "bench_lms_store"

    def ready(self):
        from .lms_store import install  # pylint: disable=import-outside-toplevel  (the workbench's models need the apps)
        install()
