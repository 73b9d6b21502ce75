"""
Item 3: how render and submit grow with the number of items (50, 200 and 500).

The packs are synthetic (``synthetic``), served to the block from a temporary folder.
All sizes take turns in the same rounds. Linear growth would make 500 items cost 10
times 50 items; the target allows 12.
"""
from __future__ import annotations

import json

from .env import Driver, setup_django
from .findings import Finding
from .inprocess import _check, _ok, complete_answers
from .synthetic import synthetic_library
from .timing import Ratio, Timing, interleaved

SIZES = (50, 200, 500)
LINEAR_LIMIT = 12.0


class ScaledStage:
    """One assessment per pack size, a learner who has not answered and one who has."""

    def __init__(self, pack_ids: dict[int, str]):
        setup_django()
        author = Driver("bench-author")
        self.usages = {size: author.load(f'<competency_assessment pack_id="{pack_id}"/>')
                       for size, pack_id in pack_ids.items()}
        self.bodies = {size: json.dumps({"answers": complete_answers(author.block(usage).load_pack())}).encode()
                       for size, usage in self.usages.items()}
        self.new_learner = Driver.fresh("bench-scale-new")
        self.done_learner = Driver.fresh("bench-scale-done")
        for size, usage in self.usages.items():
            _ok(f"submit {size}", self.done_learner.post(usage, "submit", self.bodies[size]))

    def render_form(self, size):
        return lambda: lambda: self.new_learner.render(self.usages[size])

    def render_result(self, size):
        return lambda: lambda: self.done_learner.render(self.usages[size])

    def submit(self, size):
        def case():
            learner = Driver.fresh("bench-scale-submit")
            return lambda: learner.post(self.usages[size], "submit", self.bodies[size])
        return case


def scaling(rounds: int = 40, warmup: int = 3, sizes=SIZES) -> list[Finding]:
    with synthetic_library(sizes) as pack_ids:
        stage = ScaledStage(pack_ids)
        cases = {}
        for size in sizes:
            cases[f"form {size}"] = stage.render_form(size)
            cases[f"result {size}"] = stage.render_result(size)
            cases[f"submit {size}"] = stage.submit(size)
        timings = interleaved(cases, rounds, warmup, check=_check)
    smallest, largest = min(sizes), max(sizes)
    findings = []
    for kind, what in (("form", "render, not answered yet"), ("result", "render, result page"),
                       ("submit", "submit by a new learner")):
        series: dict[int, Timing] = {size: timings[f"{kind} {size}"] for size in sizes}
        ratio = Ratio(series[largest], series[smallest])
        findings.append(Finding(
            "3 scaling", f"{what}: {largest} vs {smallest} items",
            "; ".join(f"{size}: {series[size].median * 1e3:.1f} ms" for size in sizes),
            f"{smallest} items", f"×{ratio.text()}", f"≤ ×{LINEAR_LIMIT:g}", ratio.value <= LINEAR_LIMIT))
    return findings
