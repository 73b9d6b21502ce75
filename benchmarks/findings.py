"""What a benchmark reports: one row of the table, with its target and whether it was met."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Finding:
    """One measured figure beside its target."""
    section: str        # "1 render", "2 submit", ...
    measure: str        # what was measured
    ours: str           # our figure, as text
    peer: str           # the other side (xblock-poll, the trivial handler, the 50-item pack), or ""
    figure: str         # the figure the target is about (a ratio, a size, a rate)
    target: str         # the target, as text
    met: bool | None    # None: informative, no target
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: "—"}[self.met]


def table(findings: list[Finding]) -> str:
    """A Markdown table of ``findings``."""
    header = ["#", "measure", "ours", "peer / baseline", "figure", "target", "verdict"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for finding in findings:
        cells = [finding.section, finding.measure, finding.ours, finding.peer, finding.figure,
                 finding.target, finding.verdict]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
