"""
Where the time goes: pyinstrument profiles of a benchmark case, as text for RESULTS.md.

Besides pyinstrument's call tree, :func:`breakdown` adds up the samples by who owns the
code: each frame's own time goes to the owner of the nearest frame (itself or a caller)
that belongs to a known package, so ``json`` or ``copy`` called from the workbench's
key-value store count as the store's, and ``gettext`` called from a template counts as
translation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# (owner, path fragment); the first match wins, so specific fragments come first.
OWNERS = (
    ("our block", "/competency_xblock/"),
    ("xblock-poll", "/poll/"),
    ("the benchmark itself (its input, the trivial block)", "/benchmarks/"),
    ("translations (workbench i18n service, Django, gettext)", "/workbench_demo/i18n.py"),
    ("translations (workbench i18n service, Django, gettext)", "/django/utils/translation/"),
    ("translations (workbench i18n service, Django, gettext)", "/xblock/utils/templatetags/"),
    ("Django templates (compile and render)", "/django/template/"),
    ("Markdown and bleach (poll's text rendering)", "/markdown/"),
    ("Markdown and bleach (poll's text rendering)", "/bleach/"),
    ("workbench runtime, its key-value store and SQL", "/workbench/"),
    ("workbench runtime, its key-value store and SQL", "/django/db/"),
    ("XBlock runtime (fields, handlers, fragments)", "/xblock/"),
    ("XBlock runtime (fields, handlers, fragments)", "/web_fragments/"),
    ("XBlock runtime (fields, handlers, fragments)", "/webob/"),
)


def owner_of(file_path: str | None) -> str | None:
    path = (file_path or "").replace("\\", "/")
    for owner, fragment in OWNERS:
        if fragment in path:
            return owner
    return None


@dataclass
class Profile:
    tree: str                       # pyinstrument's call tree, library frames folded
    shares: dict[str, float]        # owner -> share of the profiled time (0..1), largest first
    seconds: float

    def shares_text(self) -> str:
        return "; ".join(f"{owner} {share:.0%}" for owner, share in self.shares.items() if share >= 0.005)


def breakdown(root) -> dict[str, float]:
    """Share of ``root``'s time by owner (see the module's docstring)."""
    totals: dict[str, float] = {}

    def walk(frame, inherited: str):
        owner = owner_of(frame.file_path) or inherited
        real_children = [child for child in frame.children if not child.is_synthetic]
        own = frame.time - sum(child.time for child in real_children)
        totals[owner] = totals.get(owner, 0.0) + max(own, 0.0)
        for child in real_children:
            walk(child, owner)

    walk(root, "other (interpreter, standard library)")
    whole = sum(totals.values()) or 1.0
    return dict(sorted(((owner, value / whole) for owner, value in totals.items()), key=lambda kv: -kv[1]))


def profile(case: Callable[[], Callable[[], object]], repetitions: int = 30, interval: float = 0.0002) -> Profile:
    """Profile ``repetitions`` operations of ``case``, their set-ups excluded."""
    from pyinstrument import Profiler  # pylint: disable=import-outside-toplevel
    operations = [case() for _ in range(repetitions)]
    profiler = Profiler(interval=interval)
    profiler.start()
    for operation in operations:
        operation()
    session = profiler.stop()
    root = session.root_frame()
    tree = profiler.output_text(unicode=False, color=False, show_all=False)
    return Profile(tree=tree, shares=breakdown(root), seconds=session.duration)
