"""The HTTP benchmark's server on the LMS-shaped store (item 7): ``bench_settings``, each request's runtime on ``lms_store``."""
import os

from benchmarks.bench_settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.lms_store_app.LmsShapedStoreConfig"]  # noqa: F405

# The LMS keeps its cache (and so the attempt claims) in memcached or Redis: the HTTP benchmark
# starts a Redis for this server when Debian's redis-server is there (http_latency).
if os.environ.get("BENCH_REDIS_CACHE_URL"):  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["BENCH_REDIS_CACHE_URL"]}}  # noqa: F405
