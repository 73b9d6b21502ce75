"""The HTTP benchmark's server on the LMS-shaped store (item 7): ``bench_settings``, each request's runtime on ``lms_store``."""
from benchmarks.bench_settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.lms_store_app.LmsShapedStoreConfig"]  # noqa: F405
