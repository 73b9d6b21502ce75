"""The pack loader: good packs load, broken ones are refused with FILE:LINE: message."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from competency_xblock.domain import pack_library, pack_loader
from competency_xblock.domain.pack_library import PackLibrary
from competency_xblock.domain.pack_loader import PackError, load_pack_file, parse_pack

MINI = (Path(__file__).parent / "packs" / "mini.yaml").read_text(encoding="utf-8")


def issues_of(text: str) -> list[str]:
    with pytest.raises(PackError) as caught:
        parse_pack(text, "bad.yaml")
    return [str(issue) for issue in caught.value.issues]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_mini_pack_loads(mini_pack):
    assert mini_pack.id == "mini"
    assert [d.id for d in mini_pack.dimensions] == ["listening", "calm"]
    assert len(mini_pack.items) == 6
    assert mini_pack.items[2].reverse is True
    assert mini_pack.scoring.cut_scores == (50, 80)


def test_invalid_yaml_names_the_line():
    text = MINI.replace("version: 1", "version: [1")
    (issue,) = issues_of(text)
    assert issue.startswith("bad.yaml:")
    assert "invalid YAML" in issue


def test_not_a_mapping():
    assert issues_of("- a\n- b\n") == ["bad.yaml:1: a pack must be a YAML mapping (id, languages, items, ...)"]


def test_missing_field_names_field_and_line():
    text = MINI.replace('category: {en: "Test", pl: "Test"}\n', "")
    assert issues_of(text) == ["bad.yaml:2: 'category' is a required property"]


def test_wrong_type_names_field_and_line():
    text = MINI.replace("min_items_per_dimension: 2", "min_items_per_dimension: two")
    (issue,) = issues_of(text)
    assert issue.startswith(f"bad.yaml:{line_of(text, 'min_items_per_dimension')}: scoring.min_items_per_dimension")
    assert "'two' is not of type 'integer'" in issue


def test_situational_item_shape_error_points_at_the_option():
    text = MINI.replace("- {id: b, points: 3, text: {en: \"Listen\"", "- {id: b, points: 7, text: {en: \"Listen\"")
    (issue,) = issues_of(text)
    assert issue.startswith(f"bad.yaml:{line_of(text, 'points: 7')}: items[0].options[1].points")
    assert "7 is greater than the maximum of 3" in issue


def test_duplicate_item_ids():
    text = MINI.replace("id: c_scene2", "id: c_scene")
    duplicate_line = [n for n, line in enumerate(text.splitlines(), start=1) if line == "  - id: c_scene"][1]
    assert issues_of(text) == [f"bad.yaml:{duplicate_line}: items[4].id: duplicate item id 'c_scene'"]


def test_unknown_dimension():
    text = MINI.replace("dimension: calm\n    behaviour: {en: \"Stays calm\"",
                        "dimension: patience\n    behaviour: {en: \"Stays calm\"")
    assert issues_of(text) == [f"bad.yaml:{line_of(text, 'dimension: patience')}: items[3].dimension: "
                               "unknown dimension 'patience'; known: ['listening', 'calm']"]


def test_dimension_without_items():
    text = MINI.replace("  - id: calm\n", "  - id: empty\n    name: {en: E, pl: E}\n    tips: {en: [t], pl: [t]}\n  - id: calm\n")
    found = issues_of(text)
    assert any("dimension 'empty' has 0 items, fewer than min_items_per_dimension (2)" in issue for issue in found)


def test_cut_scores_out_of_order():
    text = MINI.replace("cut_scores: [50, 80]", "cut_scores: [80, 50]")
    assert issues_of(text) == [f"bad.yaml:{line_of(text, 'cut_scores')}: scoring.cut_scores: "
                               "cut scores must rise: C1 < C2, got [80, 50]"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/x", "example.org"])
def test_non_http_links_are_refused(url):
    text = MINI.replace("https://example.org/basics", url)
    (issue,) = issues_of(text)
    assert f"links[0].url: {url!r} is not an http(s) URL" in issue


def test_missing_and_unknown_languages():
    text = MINI.replace('name: {en: "Listening", pl: "Słuchanie"}', 'name: {en: "Listening", lv: "Klausīšanās"}')
    found = issues_of(text)
    line = line_of(text, "Klausīšanās")
    assert f"bad.yaml:{line}: dimensions[0].name: missing the 'pl' text" in found
    assert f"bad.yaml:{line}: dimensions[0].name.lv: language 'lv' is not among the pack's languages ['en', 'pl']" in found


def test_no_best_option():
    text = MINI.replace("{id: a, points: 3, text: {en: \"Stay calm\"", "{id: a, points: 2, text: {en: \"Stay calm\"")
    (issue,) = issues_of(text)
    assert "items[3].options: no option is keyed 3 points" in issue


def test_unreadable_file(tmp_path):
    with pytest.raises(PackError) as caught:
        load_pack_file(tmp_path / "nope.yaml")
    assert str(caught.value.issues[0]).startswith(f"{tmp_path / 'nope.yaml'}:1: cannot read the file")


def test_library_parses_once_and_again_after_a_change(tmp_path, monkeypatch):
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    library = PackLibrary(tmp_path)
    calls = []
    real = pack_loader.load_pack_file
    monkeypatch.setattr(pack_library, "load_pack_file", lambda path: calls.append(path) or real(path))
    first = library.get("mini")
    assert library.get("mini") is first
    assert len(calls) == 1
    path = tmp_path / "mini.yaml"
    path.write_text(MINI.replace('name: {en: "Mini"', 'name: {en: "Mini two"'), encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    second = library.get("mini")
    assert second.name["en"] == "Mini two"
    assert len(calls) == 2


def test_library_reports_missing_pack(tmp_path):
    with pytest.raises(PackError) as caught:
        PackLibrary(tmp_path).get("ghost")
    assert "no pack 'ghost'" in str(caught.value)


@pytest.mark.parametrize("old, new, expected", [
    ("cut_scores: [50, 80]", "cut_scores: [50, 80, 90]", "bad.yaml:8: scoring.cut_scores: allows at most 2 entries"),
    ("cut_scores: [50, 80]", "cut_scores: [50]", "bad.yaml:8: scoring.cut_scores: needs at least 2 entries"),
    ("languages: [en, pl]", "languages: [en, en]", "bad.yaml:4: languages: the list holds the same entry twice"),
    ("languages: [en, pl]", "languages: [en, Polish]",
     "bad.yaml:4: languages[1]: 'Polish' is not a language code (such as pl, en or pt-br)"),
    ('category: {en: "Test"', 'category: {en: "   "', "bad.yaml:6: category.en: the text is blank"),
    ("type: situational", "type: essay",
     "bad.yaml:28: items[0]: an item's type must be 'situational' or 'self_assessment'"),
])
def test_schema_problems_are_told_in_words_not_in_the_schemas_terms(old, new, expected):
    """Never a dumped list or a regular expression: what the field needs, translatable (messages.Message)."""
    with pytest.raises(PackError) as caught:
        parse_pack(MINI.replace(old, new, 1), "bad.yaml")
    assert expected in [str(issue) for issue in caught.value.issues]
    assert all(hasattr(issue.message, "template") for issue in caught.value.issues)


def test_pack_problems_survive_pickle_and_copy_with_their_templates():
    """A message holding a mapping's repr ("{'pl': 1}") is rebuilt from its template, not formatted again."""
    import copy  # pylint: disable=import-outside-toplevel
    import pickle  # pylint: disable=import-outside-toplevel
    with pytest.raises(PackError) as caught:
        parse_pack(MINI.replace("languages: [en, pl]", "languages: {pl: 1}"), "bad.yaml")
    error = caught.value
    assert "{'pl': 1}" in str(error)
    for again in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert [str(issue) for issue in again.issues] == [str(issue) for issue in error.issues]
        assert [issue.message.params for issue in again.issues] == [issue.message.params for issue in error.issues]


def test_a_kept_broken_pack_is_raised_afresh_each_time():
    """The caches keep the error; raising that very object again would pile up every caller's frames on it."""
    import traceback  # pylint: disable=import-outside-toplevel
    raised = []
    for _ in range(3):
        with pytest.raises(PackError) as caught:
            pack_loader.parse_pack_cached("- not a pack\n", "kept.yaml")
        raised.append(caught.value)
    assert raised[0] is not raised[1] and raised[0].issues == raised[2].issues
    depths = [len(traceback.extract_tb(error.__traceback__)) for error in raised]
    assert depths[0] == depths[1] == depths[2], depths


def test_every_pattern_of_the_schema_has_its_words():
    """A pattern added to content/schema.json without words would show its regular expression to designers."""
    import re  # pylint: disable=import-outside-toplevel
    schema = pack_loader.SCHEMA_PATH.read_text(encoding="utf-8")
    patterns = {json_pattern.encode().decode("unicode_escape")
                for json_pattern in re.findall(r'"pattern":\s*"((?:[^"\\]|\\.)*)"', schema)}
    assert len(patterns) >= 5
    for pattern in patterns:
        assert sum(fragment in pattern for fragment, _words in pack_loader._PATTERN_MESSAGES) == 1, pattern  # pylint: disable=protected-access
