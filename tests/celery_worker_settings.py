"""
Settings of the Celery + Redis test (``test_celery_worker.py``): the demo's, with the Django cache
on Redis, as the LMS keeps its cache on memcached or Redis. The web side (the test's driver
process) and the worker share it, and so the job's lock, progress and kept figures. The broker
(``COMPETENCY_CELERY_BROKER_URL``) and the database (``WORKBENCH_DATABASES``) come from the environment.
"""
import os

from workbench_demo.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": os.environ["COMPETENCY_TEST_CACHE_URL"]}}
