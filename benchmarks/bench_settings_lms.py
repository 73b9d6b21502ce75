"""
The HTTP benchmark's server on the LMS-shaped store (item 7): ``bench_settings``, each request's runtime on
``lms_store``, and Django run as the LMS runs in production.
"""
import os

from benchmarks.bench_settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.lms_store_app.LmsShapedStoreConfig"]  # noqa: F405

# The LMS keeps its cache (and so the attempt claims) in memcached or Redis: the HTTP benchmark
# starts a Redis for this server when Debian's redis-server is there (http_latency).
if os.environ.get("BENCH_REDIS_CACHE_URL"):  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["BENCH_REDIS_CACHE_URL"]}}  # noqa: F405

# The LMS runs with DEBUG off (lms/envs/common.py: "DEBUG = False"; production.py leaves it) and logs
# INFO and up (openedx/core/lib/logsettings.py, get_logger_config: the root logger at INFO outside
# dev_env, no "django" logger of its own). The workbench's settings run DEBUG on and log Django at
# DEBUG to a file, so Django would time and write a log line for every SQL statement: a cost per
# statement that the trivial handler, which runs none, never pays.
DEBUG = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"logfile": {"level": "INFO", "class": "logging.FileHandler",
                             "filename": os.path.join("var", "bench-lms.log")}},  # noqa: F405
    "loggers": {"": {"handlers": ["logfile"], "level": "INFO"}},
}
