"""
A benchmark-only XBlock whose handler does nothing: the floor of serving a handler.

Its ``noop`` handler reads no field and writes none; what a request to it costs is the
workbench's own work (Django's middleware, the runtime, loading the block, the JSON
handler wrapper). It is registered only in the benchmark's server (``bench_settings``),
never through the package's entry points. Its scenarios also hold the 5-answer poll the
other benchmarks use, so that the HTTP benchmark can call poll's ``vote`` in the same
server.
"""
from __future__ import annotations

from importlib.metadata import EntryPoint

from web_fragments.fragment import Fragment
from xblock.core import XBlock

BLOCK_TYPE = "bench_noop"
NOOP_SCENARIO = "Benchmark: a trivial handler"
POLL_SCENARIO = "Benchmark: a 5-answer poll"


class NoopBlock(XBlock):
    """Serves a handler that does nothing."""

    def student_view(self, context=None):  # pylint: disable=unused-argument
        return Fragment("<p>benchmark: a trivial handler</p>")

    @XBlock.json_handler
    def noop(self, data, suffix=""):  # pylint: disable=unused-argument
        return {"ok": True}

    @staticmethod
    def workbench_scenarios():
        from .env import poll_installed  # pylint: disable=import-outside-toplevel
        from .inprocess import poll_xml  # pylint: disable=import-outside-toplevel
        scenarios = [(NOOP_SCENARIO, f"<{BLOCK_TYPE}/>")]
        if poll_installed():
            scenarios.append((POLL_SCENARIO, poll_xml()))
        return scenarios


def register() -> None:
    """Make ``bench_noop`` loadable in this process, as a package's entry point would."""
    if any(name == BLOCK_TYPE for name, _entry_point in XBlock.extra_entry_points):
        return
    XBlock.extra_entry_points.append(
        (BLOCK_TYPE, EntryPoint(name=BLOCK_TYPE, value=f"{__name__}:NoopBlock", group="xblock.v1")))
