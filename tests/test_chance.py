"""
The chance figures (domain/chance.py): what random answering scores, and the 5 % rule.

Every figure is computed from the pack at run time: the exact convolution is checked
against brute-force enumeration of every answer set of the small test pack, and the
shipped pack's cut scores against the rule and against the answer sets that must keep
their levels.
"""
from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path

import pytest

from competency_xblock.cli import main
from competency_xblock.domain import chance, scoring
from competency_xblock.domain.pack_loader import CONTENT_DIR
from competency_xblock.domain.pack_model import SCALE_MAX, SCALE_MIN

from .conftest import answer_set


def _answers(item):
    return [o.id for o in item.options] if item.is_situational else list(range(SCALE_MIN, SCALE_MAX + 1))


def test_exact_figures_equal_brute_force_enumeration(mini_pack):
    rules = mini_pack.scoring
    every = list(itertools.product(*(_answers(item) for item in mini_pack.items)))
    levels = [scoring.score(mini_pack.items, mini_pack.dimensions, dict(zip([i.id for i in mini_pack.items], combo)),
                            rules.cut_scores, rules.self_assessment_weight, rules.min_items_per_dimension)
              for combo in every]
    figures = chance.pack_chance(mini_pack)
    assert figures.method == chance.EXACT
    assert figures.level_2_or_3 == pytest.approx(sum(r.level >= 2 for r in levels) / len(every), abs=1e-12)
    assert figures.level_3 == pytest.approx(sum(r.level == 3 for r in levels) / len(every), abs=1e-12)
    assert figures.expected == pytest.approx(sum(r.overall for r in levels) / len(every), abs=1e-9)
    # the lowest fair C1 is the lowest score reached by at most 5 % of the answer sets
    reach = lambda cut: sum(r.overall >= cut - 1e-9 for r in levels) / len(every)
    next_lower = max(r.overall for r in levels if r.overall < figures.lowest_fair_c1 - 1e-9)
    assert reach(figures.lowest_fair_c1) <= 0.05 < reach(next_lower)


def test_many_unusual_weights_fall_back_to_a_seeded_simulation(mini_pack, monkeypatch):
    exact = chance.pack_chance(mini_pack)
    monkeypatch.setattr(chance, "MAX_SUPPORT", 10)
    chance._distribution.cache_clear()
    try:
        first, second = chance.pack_chance(mini_pack), chance.pack_chance(mini_pack, (50, 80))
    finally:
        chance._distribution.cache_clear()
    assert first.method == chance.SIMULATION and first == second   # seeded: the same every time
    assert exact.method == chance.EXACT and first.level_2_or_3 == pytest.approx(exact.level_2_or_3, abs=0.02)


def test_the_shipped_cuts_keep_chance_below_level_2_and_the_answer_sets_at_their_levels(pack):
    figures = chance.pack_chance(pack)
    assert figures.method == chance.EXACT and figures.fair
    assert figures.level_2_or_3 <= 0.05 and figures.level_3 < 1e-4   # level 3 practically never
    # margin: the rule still holds with C1 one point lower (a small re-keying moves chance less)
    assert chance.pack_chance(pack, (pack.scoring.cut_scores[0] - 1, pack.scoring.cut_scores[1])).fair
    rules = pack.scoring
    for quality, level in (("best", 3), ("middling", 2), ("worst", 1)):
        result = scoring.score(pack.items, pack.dimensions, answer_set(pack, quality), rules.cut_scores,
                               rules.self_assessment_weight, rules.min_items_per_dimension)
        assert result.level == level, (quality, result.overall)


def test_the_old_cuts_sat_on_chance(pack):
    old = chance.pack_chance(pack, (50, 80))
    assert old.expected == pytest.approx(50) and old.level_2_or_3 > 0.4 and not old.fair


def test_validate_prints_the_figures_and_refuses_unfair_cut_scores(capsys):
    shipped = str(CONTENT_DIR / "customer_service.yaml")
    assert main(["validate", shipped]) == 0
    err = capsys.readouterr().err
    assert re.search(r"random answering \(exact\): mean score 50\.00; with cut scores \[\S+, \S+\] it reaches "
                     r"level 2 or 3 in [\d.]+ % and level 3 in \S+ % of cases", err), err
    assert main(["validate", shipped, "--cut-scores", "50", "80"]) == 1
    out = capsys.readouterr().out.strip()
    line = next(n for n, text in enumerate(Path(shipped).read_text().splitlines(), 1) if "cut_scores:" in text
                and not text.lstrip().startswith("#"))
    assert re.fullmatch(rf"{re.escape(shipped)}:{line}: scoring\.cut_scores: the given cut scores 50 and 80: random "
                        r"answering reaches level 2 in [\d.]+ % of cases, more than the 5 % allowed; raise C1 to at "
                        r"least [\d.]+", out), out


def test_validate_refuses_a_pack_with_a_self_rated_only_dimension(tmp_path, capsys, mini_pack):
    text = (Path(__file__).parent / "packs" / "mini.yaml").read_text()
    text = text.replace("min_items_per_dimension: 2}", "min_items_per_dimension: 2, min_situational_per_dimension: 2}")
    path = tmp_path / "mini.yaml"
    path.write_text(text)
    assert main(["validate", str(path), "--cut-scores", "90", "95"]) == 1
    out = capsys.readouterr().out
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "- id: listening" in t)
    assert f"{path}:{line}: dimensions[0]: dimension 'listening' has 1 situational question(s), fewer than the 2" in out


def test_percentages_read_plainly():
    assert [chance.percent(x) for x in (0, 0.5027, 0.0119, 1.1e-6, 1e-9)] == ["0", "50.3", "1.2", "0.00011", "<0.0001"]
    assert chance.exact(0.3) == Fraction(3, 10)
