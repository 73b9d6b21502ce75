"""The HTTP benchmark's server on the LMS-shaped store (item 7): ``bench_settings``, each request's runtime on ``lms_store``."""
from benchmarks.bench_settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

from benchmarks.lms_store import install  # noqa: E402  pylint: disable=wrong-import-position

install()
