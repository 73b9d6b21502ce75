"""
The runtime the in-process benchmarks share: the XBlock SDK workbench runtime, in this process.

Both sides of every comparison run here, through ``WorkbenchRuntime.render`` and
``WorkbenchRuntime.handle`` as the workbench's views call them, with field data in the
workbench's Django key-value store. Outside pytest that store is an in-memory SQLite
database, so the disk's fsync latency does not drown what the blocks themselves cost;
the HTTP benchmark (``http_latency``) covers a real database server.
"""
from __future__ import annotations

import itertools
import json
import os

import webob

IN_MEMORY_DATABASE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}


def setup_django() -> None:
    """
    Configure Django for the workbench, unless something (pytest-django) already has.

    The database is an in-memory SQLite one, or ``BENCH_WORKBENCH_DATABASES`` (JSON, as
    ``WORKBENCH_DATABASES``) when set, as the server-side profile on PostgreSQL sets it.
    """
    import django
    from django.apps import apps
    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench_demo.settings")
    os.environ["WORKBENCH_DATABASES"] = os.environ.get("BENCH_WORKBENCH_DATABASES") or json.dumps(IN_MEMORY_DATABASE)
    os.environ.setdefault("EXCLUDE_SAMPLE_XBLOCKS", "yes")
    django.setup()
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("createcachetable")


def poll_installed() -> bool:
    try:
        import poll  # noqa: F401  pylint: disable=import-outside-toplevel,unused-import
    except ImportError:
        return False
    return True


_user_numbers = itertools.count(1)


class Driver:
    """One workbench user: loads scenarios, renders views and calls handlers as the workbench views do."""

    def __init__(self, user_id: str | None = None):
        from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
        self.user_id = user_id or f"bench-user-{next(_user_numbers)}"
        self.runtime = WorkbenchRuntime(self.user_id)

    @classmethod
    def fresh(cls, prefix: str = "bench-user") -> "Driver":
        """A user that has never seen any block."""
        return cls(f"{prefix}-{next(_user_numbers)}")

    def load(self, xml: str):
        """Parse ``xml`` as a new scenario; return its usage id."""
        return self.runtime.parse_xml_string(xml)

    def block(self, usage_id):
        return self.runtime.get_block(usage_id)

    def begin_request(self) -> None:
        """Start a request: a runtime with a per-request store (``lms_store``) forgets what it read."""
        begin = getattr(self.runtime, "begin_request", None)
        if begin is not None:
            begin()

    def render(self, usage_id, view: str = "student_view"):
        """Load the block afresh (as each request does) and render ``view``; return the fragment."""
        self.begin_request()
        return self.runtime.render(self.runtime.get_block(usage_id), view)

    def post(self, usage_id, handler: str, body: bytes):
        """Load the block afresh and POST ``body`` to ``handler``; return the webob response."""
        request = webob.Request.blank("/", method="POST", body=body)
        request.content_type = "application/json"
        self.begin_request()
        return self.runtime.handle(self.runtime.get_block(usage_id), handler, request)
