"""
The validator as a new pack author meets it: each problem once, on the line of the key or
value it is about, sorted by line; a pack file named after another id is refused; the pack
README says what the schema says. Packs from outside are bad input: size, aliases, nesting.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from competency_xblock.cli import main
from competency_xblock.domain import pack_loader
from competency_xblock.domain.pack_loader import (
    CONTENT_DIR, MAX_PACK_BYTES, PackError, load_pack_file, parse_pack, parse_pack_cached,
)

BROKEN = Path(__file__).parent / "packs" / "broken"
MINI = (Path(__file__).parent / "packs" / "mini.yaml").read_text(encoding="utf-8")
SCHEMA = json.loads((CONTENT_DIR / "schema.json").read_text(encoding="utf-8"))
README = (CONTENT_DIR / "README.md").read_text(encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def issues_of(text: str, file: str = "bad.yaml") -> list[str]:
    with pytest.raises(PackError) as caught:
        parse_pack(text, file)
    return [str(issue) for issue in caught.value.issues]


# Each corpus file and exactly what the CLI prints for it, line numbers read from the file itself.
EXACT = {
    # 1. an unknown key is reported on its own line, not on its mapping's
    "unknown_fields": lambda p: [
        f"{p}:{line_of(p, 'colour: blue')}: colour: unknown field; allowed here: id, version, languages, name, "
        "category, definition, scoring, self_assessment_scale, dimensions, levels, links, items, manager_tips",
        f"{p}:{line_of(p, 'hint:')}: items[1].hint: unknown field; allowed here: id, type, dimension, weight, "
        "behaviour, statement, reverse"],
    # 2. a field missing inside an item is reported once (the item shape and its type's shape both require it)
    "missing_item_field": lambda p: [
        f"{p}:{line_of(p, '- id: l_self')}: items[1]: 'behaviour' is a required property"],
    # 3. by line: items[2] before items[10], though "items[10]" sorts first as text
    "problems_far_apart": lambda p: [
        f"{p}:{line_of(p, 'reverse: often')}: items[2].reverse: 'often' is not of type 'boolean'",
        f"{p}:{line_of(p, 'weight: heavy')}: items[10].weight: 'heavy' is not of type 'number'"],
    # 4. a pack in a folder is found by its file name, which must be its id
    "file_name_differs_from_id": lambda p: [
        f"{p}:{line_of(p, 'id: teamwork')}: id: the id 'teamwork' differs from the file name "
        "'file_name_differs_from_id.yaml'; name the file 'teamwork.yaml' or change the id"],
}


@pytest.mark.parametrize("stem", sorted(EXACT))
def test_cli_prints_each_problem_once_on_its_line_in_line_order(stem, capsys):
    path = BROKEN / f"{stem}.yaml"
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == EXACT[stem](path)


def test_the_exact_lines_are_not_the_mappings_lines():
    # The key's own line, as an author counts it, differs from the line of the mapping holding it.
    path = BROKEN / "unknown_fields.yaml"
    assert line_of(path, "colour: blue") == 8
    assert line_of(path, "hint:") - line_of(path, "- id: l_self") == 5


def test_every_broken_corpus_file_reports_only_its_own_problems(capsys):
    # The corpus files' ids are their file names, so no file also reports the name rule.
    for path in sorted(BROKEN.glob("*.yaml")):
        main(["validate", str(path)])
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if "differs from the file name" in line] == EXACT["file_name_differs_from_id"](
        BROKEN / "file_name_differs_from_id.yaml")
    assert len(printed) == len(set(printed))


def test_problems_of_several_kinds_come_sorted_by_line():
    text = (MINI.replace("min_items_per_dimension: 2", "min_items_per_dimension: two")
            .replace("url: \"https://example.org/more\"", "url: \"https://example.org/more\", colour: red")
            .replace("weight: 2\n", "weight: -2\n"))
    lines = [int(issue.split(":")[1]) for issue in issues_of(text)]
    assert len(lines) == 3
    assert lines == sorted(lines)


def test_a_key_written_twice_is_reported_on_its_second_line():
    text = MINI.replace('    scene: {en: "A customer talks.", pl: "Klient mówi."}\n',
                        '    scene: {en: "A customer talks.", pl: "Klient mówi."}\n    scene: {en: "Another."}\n')
    line = text.splitlines().index('    scene: {en: "Another."}') + 1
    assert issues_of(text) == [f"bad.yaml:{line}: items[0].scene: the key is written twice; the first value "
                               "would be lost"]


def test_a_text_not_from_a_folder_has_no_file_name_to_match():
    assert parse_pack(MINI.replace("id: mini", "id: anything"), "course pack").id == "anything"


def test_a_file_named_after_its_id_loads(tmp_path):
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    assert load_pack_file(tmp_path / "mini.yaml").id == "mini"


# ----- 5. the pack README and the schema agree ------------------------------------------------------

def _definition(name: str) -> dict:
    return SCHEMA["$defs"][name]


def test_readme_option_count_is_the_schemas():
    options = _definition("situationalItem")["properties"]["options"]
    (low, high), = re.findall(r"# (\d+) to (\d+) options", README)
    assert (int(low), int(high)) == (options["minItems"], options["maxItems"])


def test_readme_tip_count_is_the_schemas():
    tips = SCHEMA["properties"]["dimensions"]["items"]["properties"]["tips"]["additionalProperties"]
    (low,) = re.findall(r"self-development tips, (\d+) or more", README)
    assert int(low) == tips["minItems"]


def test_readme_scoring_ranges_are_the_schemas():
    scoring = SCHEMA["properties"]["scoring"]["properties"]
    cuts = scoring["cut_scores"]["items"]
    assert f"percent {cuts['minimum']}..{cuts['maximum']}" in README
    weight = scoring["self_assessment_weight"]
    assert f"({weight['minimum']}..{weight['maximum']})" in README
    scale = SCHEMA["properties"]["self_assessment_scale"]["additionalProperties"]
    assert scale["minItems"] == scale["maxItems"] == 5 and "# five labels" in README
    points = _definition("situationalItem")["properties"]["options"]["items"]["properties"]["points"]
    assert f"carries {points['minimum']} to {points['maximum']} points" in README
    kinds = SCHEMA["properties"]["links"]["items"]["properties"]["kind"]["enum"]
    assert f"# {' | '.join(kinds)}" in README


def test_readme_names_every_top_level_field_of_the_schema():
    shape = README.split("## Shape", 1)[1].split("```", 2)[1]
    top_level = set(re.findall(r"^([a-z_]+):", shape, flags=re.M))
    assert top_level == set(SCHEMA["properties"])


# ----- bad input from outside ----------------------------------------------------------------------

def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs": each level is nine aliases of the one before (9**levels strings)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_its_first_alias():
    assert issues_of(alias_bomb()) == [
        "bad.yaml:2: invalid YAML: anchors and aliases (*name) are not allowed in a pack; write the text out"]


def test_an_alias_inside_a_real_pack_is_refused_on_its_line():
    text = MINI.replace('category: {en: "Test", pl: "Test"}', 'category: &same {en: "Test", pl: "Test"}').replace(
        'definition: {en: "A test competency.", pl: "Kompetencja testowa."}', "definition: *same")
    assert issues_of(text) == [f"bad.yaml:{text.splitlines().index('definition: *same') + 1}: invalid YAML: "
                               "anchors and aliases (*name) are not allowed in a pack; write the text out"]


def test_a_text_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(pack_loader, "_PackYamlLoader", None)   # would fail if the text were parsed
    text = MINI + "#" * MAX_PACK_BYTES
    assert issues_of(text) == [f"bad.yaml:1: the pack is {len(text.encode())} bytes; "
                               f"at most {MAX_PACK_BYTES} are allowed"]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINI + "#" * MAX_PACK_BYTES, encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack_file(path)
    assert "are allowed" in str(caught.value) and str(caught.value).startswith(f"{path}:1: the file is ")


def test_nesting_too_deep_is_refused():
    assert issues_of("a: " + "[" * 5000 + "]" * 5000 + "\n") == ["bad.yaml:1: invalid YAML: nested too deeply"]


@pytest.mark.parametrize("text", ["just text\n", "- a\n- b\n", "42\n", "", "# only a comment\n"])
def test_yaml_that_is_not_a_mapping(text):
    assert issues_of(text) == ["bad.yaml:1: a pack must be a YAML mapping (id, languages, items, ...)"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']", "!!python/name:os.system"])
def test_only_safe_yaml_is_loaded(tag):
    (issue,) = issues_of(MINI.replace('name: {en: "Mini", pl: "Mini"}', f"name: {tag}"))
    assert "invalid YAML: could not determine a constructor" in issue


def test_cached_parsing_gives_the_same_pack_and_the_same_errors():
    assert parse_pack_cached(MINI, "course pack") is parse_pack_cached(MINI, "course pack")
    broken = MINI.replace("version: 1", "version: one")
    with pytest.raises(PackError) as first:
        parse_pack_cached(broken, "course pack")
    with pytest.raises(PackError) as second:
        parse_pack_cached(broken, "course pack")
    assert first.value.issues == second.value.issues and "version" in str(first.value)
