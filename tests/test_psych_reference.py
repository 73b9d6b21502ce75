"""
Our item statistics against R's psych package (2.x), on fixed data sets.

tests/fixtures/psych/ holds each data set (<name>.data.csv: points per learner and item;
<name>.items.csv: each item's maximum and its weight in the dimension score), the R
script that made the reference figures (psych_reference.R, run with psych 2.2.9; see
VERSION) and its output (<name>.psych.csv). This test needs no R: it compares p, the
corrected item-total r (psych's r.drop), alpha (raw_alpha) and the SEM, and which items
psych dropped for having no variance.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from competency_xblock.domain import statistics

FIXTURES = Path(__file__).parent / "fixtures" / "psych"
DATA_SETS = sorted(path.name.removesuffix(".data.csv") for path in FIXTURES.glob("*.data.csv"))
TOLERANCE = 1e-9


def _number(text: str):
    text = text.strip()
    return None if text in ("", "NA") else float(text)


def _rows(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def _our_report(name: str) -> dict:
    items = {row["item"]: {"dimension": name, "max": float(row["max"]), "weight": float(row["weight"])}
             for row in _rows(FIXTURES / f"{name}.items.csv")}
    responses = [{"items": {item: float(points) for item, points in row.items()}}
                 for row in _rows(FIXTURES / f"{name}.data.csv")]
    return statistics.report(statistics.summarize(responses, items), items, [name])


def _differences(name: str) -> list[tuple[str, float]]:
    """(what, |ours - psych|) for every figure psych gives; raises if one side lacks a figure."""
    ours = _our_report(name)
    reference = _rows(FIXTURES / f"{name}.psych.csv")
    items = {row["id"]: row for row in ours["items"]}
    (dimension,) = ours["dimensions"]
    differences = []
    for row in reference:
        if row["kind"] == "item":
            mine = items[row["id"]]
            pairs = [("p", mine["p"], _number(row["p"])), ("r.drop", mine["item_total_r"], _number(row["r_drop"]))]
        else:
            pairs = [("alpha", dimension["alpha"], _number(row["alpha"])), ("SEM", dimension["sem"], _number(row["sem"]))]
            assert int(_number(row["k"])) == len(items) - sum("zero_variance" in i["warnings"] for i in items.values())
        for what, mine_value, theirs in pairs:
            assert (mine_value is None) == (theirs is None), (name, row["id"], what, mine_value, theirs)
            if theirs is not None:
                differences.append((f"{name} {row['id']} {what}", abs(mine_value - theirs)))
    return differences


def test_the_fixtures_are_there():
    assert {"mixed_weighted", "zero_variance_item", "five_learners"} <= set(DATA_SETS)
    assert all((FIXTURES / f"{name}.psych.csv").exists() for name in DATA_SETS)
    assert (FIXTURES / "psych_reference.R").exists()


@pytest.mark.parametrize("name", DATA_SETS)
def test_figures_match_psych(name):
    differences = _differences(name)
    assert len(differences) >= 4
    worst = max(differences, key=lambda pair: pair[1])
    assert worst[1] < TOLERANCE, worst


def test_largest_difference_over_all_data_sets(capsys):
    differences = [pair for name in DATA_SETS for pair in _differences(name)]
    worst = max(differences, key=lambda pair: pair[1])
    with capsys.disabled():
        print(f"\npsych reference: {len(differences)} figures, largest difference {worst[1]:.2e} ({worst[0]})")
    assert worst[1] < TOLERANCE


def test_a_dropped_item_is_reported_as_psych_drops_it():
    report = _our_report("zero_variance_item")
    assert report["dimensions"][0]["warnings"] == ["zero_variance_items_left_out"]
    item_c = next(item for item in report["items"] if item["id"] == "c")
    assert item_c["item_total_r"] is None and "zero_variance" in item_c["warnings"]
