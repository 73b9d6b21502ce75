"""The ``competency-xblock`` command: check content packs and list where they come from."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .domain import pack_rules
from .domain.pack_cues import cue_warnings
from .domain.pack_library import PackLibrary
from .domain.pack_loader import PackError, load_pack_file


def _installed_library() -> PackLibrary:
    from .platform import pack_sources  # pylint: disable=import-outside-toplevel  # Django settings only when asked for
    return pack_sources.installed_library()


def _summary(pack) -> str:
    return f"{pack.id} v{pack.version}, {len(pack.items)} items, {len(pack.dimensions)} dimensions"


def _validate(paths: list[str], cut_scores: list[float] | None = None) -> int:
    """
    Check ``paths``, or every installed pack (and the sources themselves) when none are given,
    with the rules ``validate`` adds (chance, situational minimum) and the length-cue warning.
    """
    def rules(pack):
        return pack_rules.findings(pack, cut_scores)

    failed = False
    if paths:
        files = list(map(Path, paths))
    else:
        library = _installed_library()
        for issue in library.problems():
            failed = True
            print(issue)
        files = [entry.path for entry in library.entries()]
    outcomes = []
    for path in files:
        try:
            outcomes.append((path, load_pack_file(path, rules=rules)))
        except PackError as error:
            outcomes.append((path, error))
    for path, outcome in outcomes:
        if isinstance(outcome, PackError):
            failed = True
            for issue in outcome.issues:
                print(issue)
        else:
            for warning in cue_warnings(outcome):  # a warning never fails validation
                print(f"{path}: {warning}")
            print(f"{path}: ok ({_summary(outcome)})", file=sys.stderr)
            print(f"{path}: {pack_rules.chance_summary(outcome, cut_scores)}", file=sys.stderr)
    return 1 if failed else 0


def _packs() -> int:
    """Every installed pack: id, whether it can be used, where it comes from, its file."""
    library = _installed_library()
    entries = library.entries()
    duplicates = {entry.pack_id for entry in entries if sum(e.pack_id == entry.pack_id for e in entries) > 1}
    width = max([len(entry.pack_id) for entry in entries] + [2])
    print(f"{'ID':<{width}}  {'STATUS':<9}  SOURCE")
    for entry in entries:
        if entry.pack_id in duplicates:
            status, detail = "DUPLICATE", "the same id is in another source"
        elif isinstance(entry.outcome, PackError):
            status = "INVALID"
            detail = f"{len(entry.outcome.issues)} problem(s), first: {entry.outcome.issues[0]}"
        else:
            status, detail = "valid", _summary(entry.outcome)
        print(f"{entry.pack_id:<{width}}  {status:<9}  {entry.source.label}")
        print(f"{'':<{width}}  {'':<9}  {entry.path}: {detail}")
    problems = library.problems()
    for issue in problems:
        print(f"problem: {issue.file}: {issue.message}")
    usable = not problems and all(not isinstance(entry.outcome, PackError) for entry in entries)
    return 0 if usable else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="competency-xblock", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check packs; prints FILE:LINE: message per error")
    validate.add_argument("paths", nargs="*", help="pack files (default: every installed pack)")
    validate.add_argument("--cut-scores", nargs=2, type=float, metavar=("C1", "C2"),
                          help="check these cut scores instead of each pack's own")
    commands.add_parser("packs", help="list every installed pack, where it comes from and whether it is valid")
    report = commands.add_parser("report", help="write the learners' results stored by the workbench as CSV")
    report.add_argument("--scenario", help="only scenarios whose slug contains this text")
    report.add_argument("--output", help="the CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    if args.command == "validate":
        if args.cut_scores and not args.cut_scores[0] < args.cut_scores[1]:
            parser.error(f"--cut-scores: C1 must be lower than C2, got {args.cut_scores}")
        return _validate(args.paths, args.cut_scores)
    if args.command == "packs":
        return _packs()
    if args.command == "report":
        from .platform import workbench_report  # pylint: disable=import-outside-toplevel  # Django only when asked for
        return workbench_report.run(args.scenario, args.output)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
