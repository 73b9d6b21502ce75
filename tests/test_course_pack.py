"""
A course's own pack, written in Studio as YAML: checked whole by the pack loader, stored only when
valid (each problem as "line N: message"), taken and graded by learners, carried in OLX.
"""
from __future__ import annotations

import html
import re

import pytest
import yaml
from django.utils.html import escape

from competency_xblock.blocks.olx import OlxError
from competency_xblock.domain.pack_loader import CONTENT_DIR, MAX_PACK_BYTES, TEMPLATE_PATH

from .conftest import TEAMWORK_PATH, answer_set
from .test_olx import export
from .test_validator_messages import alias_bomb

XML = '<competency_assessment pack_id="customer_service" url_name="own_pack"/>'
TEMPLATE = TEMPLATE_PATH.read_text(encoding="utf-8")
TEAMWORK = TEAMWORK_PATH.read_text(encoding="utf-8")


def save_pack(author, block, text):
    return author.call(block, "save_course_pack", {"yaml": text})


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.fixture
def block(staff):
    return staff.load(XML)


def test_the_editor_offers_a_copy_of_each_installed_pack_and_the_template(staff, block):
    page = staff.render(block, "studio_view")
    sources = dict(re.findall(r'<template data-pack-source="([^"]*)">(.*?)</template>', page, re.S))
    assert set(sources) == {"", "customer_service"}
    assert html.unescape(sources[""]) == TEMPLATE
    assert html.unescape(sources["customer_service"]) == (CONTENT_DIR / "customer_service.yaml").read_text(
        encoding="utf-8")
    assert "Customise this pack" in page and "data-course-pack-text" in page


def test_a_pack_authored_in_studio_is_taken_and_graded(staff, learner, block):
    assert save_pack(staff, block, TEAMWORK) == (200, {"result": "success", "warnings": [], "pack_id": "teamwork"})
    mine = learner.block(block.scope_ids.usage_id)
    page = learner.render(mine)
    pack = mine.load_pack()
    assert pack.id == "teamwork" and pack.source == "course pack"
    assert escape(pack.items[0].prompt[mine.language(pack)]) in page
    assert page.count("<fieldset") == 12
    status, body = learner.call(mine, "submit", {"answers": answer_set(pack, "best")})
    assert status == 200 and body["level"] == 3
    assert learner.published("grade")[-1]["value"] == 100.0


def test_the_template_is_a_valid_start(staff, learner, block):
    assert save_pack(staff, block, TEMPLATE)[0] == 200
    mine = learner.block(block.scope_ids.usage_id)
    pack = mine.load_pack()
    status, body = learner.call(mine, "submit", {"answers": answer_set(pack, "worst")})
    assert (status, body["level"]) == (200, 1)


def test_customising_an_installed_pack(staff, learner, block, pack):
    data = yaml.safe_load((CONTENT_DIR / "customer_service.yaml").read_text(encoding="utf-8"))
    data["items"][0]["scene"] = {language: "A customer waits by the door & hesitates <quietly>."
                                 for language in data["languages"]}
    assert save_pack(staff, block, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))[0] == 200
    page = learner.render(learner.block(block.scope_ids.usage_id))
    assert "A customer waits by the door &amp; hesitates &lt;quietly&gt;." in page
    assert len(re.findall(r"<fieldset", page)) == len(pack.items)


def test_a_broken_pack_is_not_saved_and_each_problem_names_its_line(staff, learner, block):
    assert save_pack(staff, block, TEAMWORK)[0] == 200
    broken = (TEAMWORK.replace("version: 1\n", "version: 1\ncolour: blue\n")
              .replace("    reverse: true\n", "    reverse: often\n", 1)
              .replace("  - id: delay_news\n", "  - id: colleague_stuck\n"))
    status, body = save_pack(staff, block, broken)
    assert status == 400
    assert body["error"] == "The pack was not saved; problems found: 2."
    assert body["problems"] == [
        f"line {line_of(broken, 'colour: blue')}: colour: unknown field; allowed here: id, version, languages, "
        "name, category, definition, scoring, self_assessment_scale, dimensions, levels, links, items, manager_tips",
        f"line {line_of(broken, 'reverse: often')}: items[5].reverse: 'often' is not of type 'boolean'"]
    assert staff.block(block.scope_ids.usage_id).course_pack == TEAMWORK      # nothing stored
    assert learner.block(block.scope_ids.usage_id).load_pack().items[3].id == "delay_news"


@pytest.mark.parametrize("text, problem", [
    ("id: [unclosed\n", "line 2: invalid YAML"),
    ("- just\n- a list\n", "line 1: a pack must be a YAML mapping"),
    (alias_bomb(), "line 2: invalid YAML: anchors and aliases (*name) are not allowed in a pack"),
    ("# padding\n" * (MAX_PACK_BYTES // 10 + 1), f"bytes; at most {MAX_PACK_BYTES} are allowed"),
    (TEMPLATE.replace("id: my_competency", "id: My Competency"), "line 4: id: 'My Competency' is not an id"),
    ("name: !!python/object/apply:os.system ['true']\n", "could not determine a constructor"),
])
def test_bad_packs_are_refused_and_change_nothing(staff, block, text, problem):
    status, body = save_pack(staff, block, text)
    assert status == 400
    assert any(line.startswith(problem) or problem in line for line in body["problems"]), body["problems"]
    assert not staff.block(block.scope_ids.usage_id).fields["course_pack"].is_set_on(block)


@pytest.mark.parametrize("payload, message", [
    (b"not json", "not valid JSON"),
    ({"yaml": 5}, 'with the pack as text in "yaml"'),
    ([TEMPLATE], "must be a JSON object"),
    ({"yaml": "x" * (2 * MAX_PACK_BYTES + 1)}, "too large"),
])
def test_bad_requests_get_a_400(staff, block, payload, message):
    status, body = staff.call(block, "save_course_pack", payload)
    assert status == 400 and message in body["error"]
    assert staff.call(block, "save_course_pack", b"", method="GET")[0] == 405


def test_emptying_the_box_goes_back_to_the_installed_pack(staff, learner, block):
    assert save_pack(staff, block, TEAMWORK)[0] == 200
    assert save_pack(staff, block, "  \n")[0] == 200
    mine = learner.block(block.scope_ids.usage_id)
    assert not mine.fields["course_pack"].is_set_on(mine)
    assert mine.load_pack().id == "customer_service"


def test_settings_that_no_longer_fit_are_reported_after_a_pack_change(staff, block):
    assert staff.call(block, "submit_studio_edits", {"values": {"content_language": "en"}, "defaults": []})[0] == 200
    def without_english(node):
        if isinstance(node, dict):
            return {key: without_english(value) for key, value in node.items() if key != "en"}
        return [without_english(value) for value in node] if isinstance(node, list) else node
    only_polish = without_english(yaml.safe_load(TEMPLATE)) | {"languages": ["pl"]}
    status, body = save_pack(staff, block, yaml.safe_dump(only_polish, allow_unicode=True))
    assert status == 200, body
    assert any(warning.startswith("Content language:") for warning in body["warnings"]), body["warnings"]


def test_pack_texts_are_escaped_in_the_editor_and_for_learners(staff, learner, block):
    poisoned = TEMPLATE.replace('"A short, realistic situation."', '"</textarea><script>alert(1)</script>"')
    assert save_pack(staff, block, poisoned)[0] == 200
    assert "<script>alert(1)" not in staff.render(staff.block(block.scope_ids.usage_id), "studio_view")
    page = learner.render(learner.block(block.scope_ids.usage_id))
    assert "<script>alert(1)" not in page and "&lt;/textarea&gt;&lt;script&gt;alert(1)" in page


def test_learners_never_get_the_course_packs_key(staff, learner, block):
    assert save_pack(staff, block, TEAMWORK)[0] == 200
    page = learner.render(learner.block(block.scope_ids.usage_id))
    assert "points" not in page and "course_pack" not in page


# ----- learners' saved answers across a change of the pack -------------------------------------------

def test_saved_answers_survive_a_pack_change_where_their_items_still_exist(staff, learner, block):
    assert save_pack(staff, block, TEAMWORK)[0] == 200
    mine = learner.block(block.scope_ids.usage_id)
    best = answer_set(mine.load_pack(), "best")
    assert learner.call(mine, "submit", {"answers": best})[0] == 200
    draft = dict(best)
    assert learner.call(mine, "save_answers", {"answers": draft})[0] == 200
    # The course team drops one question and re-keys another: its best option is now worth nothing.
    data = yaml.safe_load(TEAMWORK)
    data["items"] = [item for item in data["items"] if item["id"] != "keeps_deadlines"]
    rekeyed = next(item for item in data["items"] if item["id"] == "colleague_stuck")
    for option in rekeyed["options"]:
        option["points"] = {"a": 0, "d": 3}.get(option["id"], option["points"])
    assert save_pack(staff, block, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))[0] == 200

    mine = learner.block(block.scope_ids.usage_id)
    assert mine.answers == draft                       # the stored draft is untouched
    page = learner.render(mine)
    assert page.count("<fieldset") == 11
    checked = re.findall(r'name="ca-([a-z_]+)" value="([^"]+)" checked', page)
    assert dict(checked) == {key: str(value) for key, value in draft.items() if key != "keeps_deadlines"}
    rescored = mine.rescored(mine.load_pack(), mine.results[0])
    assert set(rescored["answers"]) == set(best) - {"keeps_deadlines"}
    assert rescored["overall"] < mine.results[0]["overall"]   # the re-keyed question now costs points
    remaining = {key: value for key, value in draft.items() if key != "keeps_deadlines"}
    status, body = learner.call(mine, "submit", {"answers": remaining})
    assert status == 200 and body["level"] in (2, 3)


# ----- OLX and storage --------------------------------------------------------------------------------

def test_the_course_pack_is_content_not_a_setting():
    """
    edx-platform, xmodule/modulestore/split_mongo/split.py (``update_item``, ``_persist_subdag``):
    ``Scope.settings`` fields go into the block's ``fields`` in the course *structure*, which is
    copied whole at every edit and publish; ``Scope.content`` fields go to a separate *definition*
    (``update_definition_from_data``). A pack of up to 2 MB belongs in the definition.
    """
    from competency_xblock import CompetencyAssessmentBlock   # pylint: disable=import-outside-toplevel
    from xblock.fields import Scope   # pylint: disable=import-outside-toplevel
    assert CompetencyAssessmentBlock.fields["course_pack"].scope == Scope.content



def test_the_course_pack_travels_in_olx_losslessly(staff, block):
    text = TEAMWORK.replace("# A second worked example", "# Quotes \" ' <tags> & ampersands; zażółć gęślą jaźń\n\n#")
    assert save_pack(staff, block, text)[0] == 200
    first = export(staff, staff.block(block.scope_ids.usage_id))
    assert b"<course_pack>" in first and b"&lt;tags&gt; &amp; ampersands" in first
    imported = staff.load(first)
    assert imported.course_pack == text
    assert imported.load_pack().id == "teamwork"
    assert export(staff, imported) == first


def test_a_broken_course_pack_in_olx_stops_the_import_naming_the_block():
    from .workbench import Learner   # pylint: disable=import-outside-toplevel
    broken = html.escape(TEAMWORK.replace("version: 1\n", "version: one\n"))
    with pytest.raises(OlxError) as raised:
        Learner("staff").load(f'<competency_assessment url_name="own_pack"><course_pack>{broken}</course_pack>'
                              "</competency_assessment>")
    assert str(raised.value) == ('<competency_assessment url_name="own_pack"> element <course_pack>: the course pack '
                                 f"is not valid: line {line_of(TEAMWORK, 'version: 1')}: version: 'one' is not of "
                                 "type 'integer'")
