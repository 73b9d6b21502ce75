"""OLX: export, import and export again give the same XML; malformed OLX fails clearly, never on render."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from lxml import etree
from xblock.fields import Scope

from competency_xblock.blocks.olx import OlxError

from .conftest import answer_set
from .test_studio import SETTINGS, full_settings, save, settings

SDK_NAMESPACES = re.compile(r' xmlns:(option|block)="http://code\.edx\.org/xblock/(option|block)"')
SCENARIOS = sorted((Path(__file__).parent.parent / "competency_xblock" / "scenarios").glob("*.xml"))


def export(user, block) -> bytes:
    out = io.BytesIO()
    user.runtime.export_to_xml(block, out)
    return out.getvalue()


def round_trip(user, block) -> tuple[bytes, object]:
    """Export ``block``, import the XML as a new block, return the first export and the new block."""
    first = export(user, block)
    return first, user.load(first)


def _without_sdk_namespaces(value):
    # The SDK's html_demo exports its HTML with XBlock's namespace declarations added to each
    # element (harmless, and stable from then on); they are not a change of content.
    return SDK_NAMESPACES.sub("", value) if isinstance(value, str) else value


def block_tree(user, block) -> list:
    """Every block under ``block`` as (type, settings-and-content fields that are set), depth first."""
    fields = {name: _without_sdk_namespaces(getattr(block, name)) for name, field in block.fields.items()
              if field.scope in (Scope.settings, Scope.content) and name not in ("parent", "children")
              and field.is_set_on(block)}
    children = [block_tree(user, user.block(child)) for child in getattr(block, "children", [])]
    return [block.scope_ids.block_type, fields, children]


def test_every_setting_survives_a_round_trip(staff, pack):
    block = staff.load('<competency_assessment/>')
    values = full_settings(pack)
    values["intro"] = 'Quotes " and <tags> & ampersands,\n\ttabs, Polish: zażółć gęślą jaźń, emoji 🙂.'
    values["extra_links"][0]["title"] = "Szkolenie „Obsługa klienta” – bezpłatne"
    assert save(staff, block, values)[0] == 200
    first, imported = round_trip(staff, block)
    assert settings(imported) == values
    assert export(staff, imported) == first
    for name in SETTINGS:   # a value equal to the default is not stored, so not exported
        assert imported.fields[name].is_set_on(imported) == (values[name] != imported.fields[name].default), name


@pytest.mark.parametrize("values", [
    {"weight": 2, "self_assessment_weight": 0, "cut_scores": [70, 100], "max_attempts": 100},
    {"weight": 0, "intro": "", "follow_up_lessons": {}, "extra_links": [], "item_overrides": {}},
    {"self_assessment_weight": 0.5, "cut_scores": [70.5, 99.5], "content_language": "pl", "pack_id": "customer_service"},
])
def test_edge_values_the_editor_accepts_round_trip(staff, values):
    block = staff.load("<competency_assessment/>")
    assert save(staff, block, values)[0] == 200
    first, imported = round_trip(staff, block)
    assert settings(imported) == settings(block)
    assert export(staff, imported) == first


def test_structured_settings_are_readable_child_elements(staff, pack):
    block = staff.load('<competency_assessment/>')
    assert save(staff, block, full_settings(pack))[0] == 200
    root = etree.fromstring(export(staff, block))
    assert [child.tag for child in root] == ["dimension_follow_ups", "extra_links", "follow_up_lessons", "item_overrides"]
    assert root.get("cut_scores") == "[65, 75.5]" and root.get("max_attempts") == "3"
    assert "follow_up_lessons" not in root.attrib
    assert '"title": "Free webinar"' in root.find("extra_links").text   # pretty JSON, not \\u escapes


def test_defaults_export_nothing_extra(staff):
    root = etree.fromstring(export(staff, staff.load('<competency_assessment pack_id="customer_service"/>')))
    assert dict(root.attrib) == {"xblock-family": "xblock.v1", "pack_id": "customer_service"} and len(root) == 0


def test_xblock_default_json_attributes_are_read_too(staff):
    xml = ('<competency_assessment cut_scores="[\n  40,\n  70\n]" '
           'follow_up_lessons="{&quot;1&quot;: [{&quot;title&quot;: &quot;Basics&quot;, '
           '&quot;url&quot;: &quot;/b&quot;}]}"'
           ' extra_links="[]" self_assessment_weight="0.25"/>')
    block = staff.load(xml)
    assert block.cut_scores == [40, 70] and block.self_assessment_weight == 0.25
    assert block.follow_up_lessons == {"1": [{"title": "Basics", "url": "/b"}]}


@pytest.mark.parametrize("path", SCENARIOS, ids=[path.stem for path in SCENARIOS])
def test_demo_scenarios_round_trip(staff, path):
    original = staff.load(path.read_text(encoding="utf-8"))
    first, imported = round_trip(staff, original)
    assert export(staff, imported) == first
    assert block_tree(staff, imported) == block_tree(staff, original)


def test_the_demo_unit_keeps_its_gates_and_their_children(staff):
    path = next((p for p in SCENARIOS if p.stem == "customer_service_unit"), None)
    if path is None:
        pytest.skip("the gated demo unit is not there yet")
    original = staff.load(path.read_text(encoding="utf-8"))
    _, imported = round_trip(staff, original)
    tree = block_tree(staff, imported)
    gates = [child for child in tree[2] if child[0] == "competency_gate"]
    assert gates and all(gate[2] for gate in gates)                  # each gate still has its lessons
    assert tree == block_tree(staff, original)


@pytest.mark.parametrize("xml, names", [
    ('<competency_assessment max_attempts="many"/>', ["attribute max_attempts", "'many' is not valid JSON"]),
    ('<competency_assessment max_attempts="2.5"/>', ["attribute max_attempts", "not a whole number"]),
    ('<competency_assessment weight="heavy"/>', ["attribute weight", "not valid JSON"]),
    ('<competency_assessment weight="NaN"/>', ["attribute weight", "NaN is not a number JSON allows"]),
    ('<competency_assessment cut_scores="50, 80"/>', ["attribute cut_scores", "not valid JSON"]),
    ('<competency_assessment cut_scores="{}"/>', ["attribute cut_scores", "must be a JSON list"]),
    ('<competency_assessment follow_up_lessons=\'{"1": [\'/>', ["attribute follow_up_lessons", "not valid JSON"]),
    ('<competency_assessment follow_up_lessons="[]"/>', ["attribute follow_up_lessons", "must be a JSON object"]),
    ('<competency_assessment><item_overrides>{disabled: [x]}</item_overrides></competency_assessment>',
     ["element <item_overrides>", "not valid JSON"]),
    ('<competency_assessment><extra_links></extra_links></competency_assessment>',
     ["element <extra_links>", "not valid JSON"]),
])
def test_malformed_olx_is_refused_with_a_clear_error(staff, xml, names):
    with pytest.raises(OlxError) as raised:
        staff.load(xml)
    message = str(raised.value)
    assert message.startswith("<competency_assessment>")
    for name in names:
        assert name in message


@pytest.mark.parametrize("xml, problem", [
    ('<competency_assessment pack_id="no_such_pack"/>', "Competency pack: the pack 'no_such_pack' cannot be used"),
    ('<competency_assessment cut_scores="[80, 50]"/>', "Cut scores: C1 must be lower than C2"),
    ('<competency_assessment max_attempts="-3" weight="-1"/>', "Attempts:"),
    ('<competency_assessment self_assessment_weight="0.9"/>', "Self-assessment weight:"),
    ('<competency_assessment grading_mode="stars" content_language="xx"/>', "Grading mode:"),
    ('<competency_assessment><follow_up_lessons>{"1": [{"title": "x", "url": "javascript:alert(1)"}], '
     '"2": "oops", "3": [7]}</follow_up_lessons></competency_assessment>', "Follow-up lessons:"),
    ('<competency_assessment><extra_links>[{"levels": [1], "title": "x", "url": "data:text/html,hi"}, 5]'
     '</extra_links></competency_assessment>', "Extra training links:"),
    ('<competency_assessment><item_overrides>{"disabled": ["ghost"], "added": [{"id": "x"}]}</item_overrides>'
     '</competency_assessment>', "Question overrides:"),
])
def test_wrong_but_well_typed_olx_imports_and_is_reported_and_still_renders(staff, learner, pack, xml, problem):
    block = staff.load(xml)
    assert any(problem in message.text for message in block.validate().messages)
    editor = staff.render(block, "studio_view")
    assert "This assessment needs attention" in editor and problem.replace("'", "&#x27;") in editor
    mine = learner.block(block.scope_ids.usage_id)
    html = learner.render(mine)
    if "no_such_pack" in xml:
        assert "not available right now" in html
        return
    assert 'class="ca-form"' in html
    code, body = learner.call(mine, "submit", {"answers": answer_set(pack, "worst")})
    assert code == 200, body
    assert "javascript:" not in body["result_html"] and "data:text" not in body["result_html"]

# The fully configured example given in the README ("Authoring in Studio and OLX").
README_EXAMPLE = """\
<competency_assessment url_name="cs_check" display_name="Where do you stand in customer service?"
    pack_id="customer_service" content_language="pl" max_attempts="3" grading_mode="level"
    weight="2.0" retake_policy="best" cut_scores="[65, 75]" self_assessment_weight="0.2"
    intro="Około 15 minut. Odpowiadaj szczerze.">
  <follow_up_lessons>{"1": [{"title": "Podstawy obsługi",
                             "url": "/courses/course-v1:Org+CS101+2025/jump_to_id/basics"}],
                      "3": [{"title": "Relacje z klientem", "url": "https://example.org/relacje"}]}</follow_up_lessons>
  <extra_links>[{"levels": [1, 2], "kind": "training", "title": "Bezpłatny webinar",
                 "url": "https://example.org/webinar"}]</extra_links>
  <item_overrides>{"disabled": ["bank_savings_goal"],
    "edited": {"store_hesitant_customer": {"behaviour": {"pl": "Dostrzega wahanie klienta"}}},
    "added": [{"id": "greets_regulars", "type": "self_assessment", "dimension": "needs_empathy",
               "behaviour": {"pl": "Wita stałych klientów"},
               "statement": {"pl": "Witam stałych klientów po imieniu."}, "reverse": false}]}</item_overrides>
</competency_assessment>
"""


def test_the_readme_example_imports_cleanly_and_round_trips(staff):
    block = staff.load(README_EXAMPLE)
    assert block.validate().messages == []
    assert block.cut_scores == [65, 75] and block.extra_links[0]["title"] == "Bezpłatny webinar"
    items = [item.id for item in block.active_items(block.load_pack())]
    assert "greets_regulars" in items and "bank_savings_goal" not in items
    first, imported = round_trip(staff, block)
    assert export(staff, imported) == first and settings(imported) == settings(block)
