"""The ``competency-xblock`` command: check content packs."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .domain import pack_rules
from .domain.pack_cues import cue_warnings
from .domain.pack_loader import CONTENT_DIR, PackError, load_pack_file


def _validate(paths: list[str], cut_scores: list[float] | None = None) -> int:
    files = [Path(p) for p in paths] or sorted(CONTENT_DIR.glob("*.yaml"))
    failed = False
    for path in files:
        try:
            pack = load_pack_file(path, rules=lambda pack: pack_rules.findings(pack, cut_scores))
        except PackError as error:
            failed = True
            for issue in error.issues:
                print(issue)
        else:
            for warning in cue_warnings(pack):  # a warning never fails validation
                print(f"{path}: {warning}")
            print(f"{path}: ok ({pack.id} v{pack.version}, {len(pack.items)} items, "
                  f"{len(pack.dimensions)} dimensions)", file=sys.stderr)
            print(f"{path}: {pack_rules.chance_summary(pack, cut_scores)}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="competency-xblock", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check packs; prints FILE:LINE: message per error")
    validate.add_argument("paths", nargs="*", help="pack files (default: the installed packs)")
    validate.add_argument("--cut-scores", nargs=2, type=float, metavar=("C1", "C2"),
                          help="check these cut scores instead of each pack's own")
    report = commands.add_parser("report", help="write the learners' results stored by the workbench as CSV")
    report.add_argument("--scenario", help="only scenarios whose slug contains this text")
    report.add_argument("--output", help="the CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    if args.command == "validate":
        if args.cut_scores and not args.cut_scores[0] < args.cut_scores[1]:
            parser.error(f"--cut-scores: C1 must be lower than C2, got {args.cut_scores}")
        return _validate(args.paths, args.cut_scores)
    if args.command == "report":
        from .platform import workbench_report  # pylint: disable=import-outside-toplevel  # Django only when asked for
        return workbench_report.run(args.scenario, args.output)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
