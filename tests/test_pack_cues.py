"""Length cues: validate warns (never fails) when the best option is the longest too often."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from competency_xblock.cli import main
from competency_xblock.domain.pack_cues import cue_warnings, length_cue, length_cues
from competency_xblock.domain.pack_loader import CONTENT_DIR, load_pack_file, parse_pack

MINI = (Path(__file__).parent / "packs" / "mini.yaml").read_text(encoding="utf-8")

# The mini pack with every best option made the longest text, in English only.
CUED = (MINI
        .replace('{en: "Listen", pl: "Słuchaj"}',
                 '{en: "Listen to the whole story and ask what they need", pl: "Słuchaj"}')
        .replace('{en: "Stay calm", pl: "Spokój"}', '{en: "Stay calm and say what you will do", pl: "Spokój"}')
        .replace('{en: "Offer crayons", pl: "Daj kredki"}',
                 '{en: "Offer crayons and a seat next to their parent", pl: "Daj kredki"}'))


def test_cued_pack_figures_are_worked_out_per_language():
    pack = parse_pack(CUED, "cued.yaml")
    english, polish = length_cue(pack, "en"), length_cue(pack, "pl")
    assert (english.items, english.best_is_longest) == (3, 3)
    assert english.longest_share == 1 and english.too_many
    # Chance by hand: item means 4/3, 3/2 and 5/3 of 3 points each.
    assert english.chance_share == (Fraction(4, 3) + Fraction(3, 2) + Fraction(5, 3)) / 9
    # Polish texts were left alone: the longest are "Przerwij" (0), "Odkrzycz" (0) and
    # "Poproś rodzica" (2), never the best.
    assert polish.best_is_longest == 0 and not polish.too_many
    assert polish.longest_share == Fraction(0 + 0 + 2, 9)


def test_ties_for_longest_share_the_points():
    tied = MINI.replace('{en: "Shout back", pl: "Odkrzycz"}', '{en: "Shout it", pl: "Odkrzycz"}')
    tied = tied.replace('{en: "Stay calm", pl: "Spokój"}', '{en: "Breathe!", pl: "Spokój"}')
    cue = length_cue(parse_pack(tied, "tied.yaml"), "en")
    # c_scene: "Breathe!" (3) and "Shout it" (0) tie at 8 characters: 3/2 points expected.
    assert cue.longest_share == (0 + Fraction(3, 2) + 2) / 9
    assert cue.best_is_longest == 1


def test_validate_warns_on_a_cued_pack_and_still_passes(tmp_path, capsys):
    path = tmp_path / "mini.yaml"   # the file is named after the id inside
    path.write_text(CUED, encoding="utf-8")
    # the small test pack's own cuts fail the chance rule (tests/test_chance.py); fair ones here
    assert main(["validate", "--cut-scores", "90", "95", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"{path}: warning: in 'en' the best option is the longest in 3 of 3 situational items" in out
    assert "earns 100% of the situational points against 50% by chance" in out
    assert "'pl'" not in out


def test_mini_pack_gives_no_warning(tmp_path, capsys):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    assert main(["validate", "--cut-scores", "90", "95", str(path)]) == 0
    assert "warning" not in capsys.readouterr().out


def test_shipped_pack_has_no_length_cue(capsys):
    pack = load_pack_file(CONTENT_DIR / "customer_service.yaml")
    assert cue_warnings(pack) == []
    for cue in length_cues(pack):
        assert cue.items == 18
        assert cue.best_is_longest * 3 <= cue.items, cue
        # Picking the longest must not beat chance by more than a point or two.
        assert cue.longest_share - cue.chance_share <= Fraction(3, 100), cue
    assert main(["validate", str(CONTENT_DIR / "customer_service.yaml")]) == 0
    assert "warning" not in capsys.readouterr().out


def test_the_worked_example_has_no_length_cue_either(capsys):
    """The teamwork example in the pack guide is what authors copy: it must pass the check it teaches."""
    path = CONTENT_DIR / "examples" / "teamwork.yaml"
    pack = load_pack_file(path)
    assert cue_warnings(pack) == []
    assert all(cue.best_is_longest * 3 <= cue.items for cue in length_cues(pack))
    assert main(["validate", str(path)]) == 0
    assert "warning" not in capsys.readouterr().out
