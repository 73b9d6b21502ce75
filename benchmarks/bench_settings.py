"""Workbench settings for the HTTP benchmark's server: the demo's, plus the benchmark-only trivial block."""
from workbench_demo.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

from benchmarks.noop_block import register  # noqa: E402  pylint: disable=wrong-import-position

register()
