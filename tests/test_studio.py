"""Studio authoring in the workbench runtime: the editor renders, saves all or nothing, validate() explains."""
from __future__ import annotations

import shutil

import pytest
from xblock.validation import ValidationMessage

from competency_xblock.domain.pack_library import PackLibrary
from competency_xblock.domain.pack_loader import CONTENT_DIR

from .conftest import PACKS, answer_set

XML = '<competency_assessment pack_id="customer_service" display_name="Service check" max_attempts="2"/>'
SETTINGS = ("display_name", "pack_id", "content_language", "intro", "max_attempts", "grading_mode", "weight",
            "retake_policy", "retake_wait_days", "cut_scores", "self_assessment_weight", "follow_up_lessons",
            "dimension_follow_ups", "extra_links", "item_overrides")


def settings(block) -> dict:
    return {name: getattr(block, name) for name in SETTINGS}


def save(author, block, values, defaults=()):
    return author.call(block, "submit_studio_edits", {"values": values, "defaults": list(defaults)})


def new_item(pack, item_id="greets_regulars"):
    dimension = pack.dimensions[0].id
    return {"id": item_id, "type": "situational", "dimension": dimension,
            "behaviour": {"en": "Greets regulars by name"}, "scene": {"en": "A regular customer walks in."},
            "options": [{"id": "a", "points": 3, "text": {"en": "Greet them by name"}},
                        {"id": "b", "points": 1, "text": {"en": "Nod"}},
                        {"id": "c", "points": 0, "text": {"en": "Keep typing"}}]}


def full_settings(pack) -> dict:
    first, second = pack.items[0], pack.items[1]
    return {
        "display_name": "Customer service: where do you stand?", "pack_id": "customer_service",
        "content_language": "en", "intro": "Answer honestly.\nIt takes 15 minutes.", "max_attempts": 3,
        "grading_mode": "level", "weight": 2.5, "retake_policy": "latest", "retake_wait_days": 14,
        "cut_scores": [65, 75.5],
        "self_assessment_weight": 0.2,
        "follow_up_lessons": {"1": [{"title": "Service basics", "url": "/courses/demo/jump_to_id/basics"}],
                              "3": [{"title": "Loyal customers", "url": "https://example.org/loyalty"}]},
        "dimension_follow_ups": {
            "communication": {"1": [{"title": "Listening first", "url": "/courses/demo/jump_to_id/listening"}]},
            "tolerance": {"1": [{"title": "Calm under fire", "url": "https://example.org/calm"}],
                          "2": [{"title": "Hard cases", "url": "/courses/demo/jump_to_id/hard"}]}},
        "extra_links": [{"levels": [1, 2], "kind": "training", "title": "Free webinar",
                         "url": "https://example.org/webinar?a=1&b=2"}],
        "item_overrides": {"disabled": [second.id],
                           "edited": {first.id: {"behaviour": {"en": "Notices hesitation"}}},
                           "added": [new_item(pack)]},
    }


@pytest.fixture
def author(staff):
    return staff


@pytest.fixture
def block(author):
    return author.load(XML)


@pytest.fixture
def packs_dir(tmp_path, monkeypatch):
    """An installed-packs folder with the real pack, the mini pack and a broken one."""
    shutil.copy(CONTENT_DIR / "customer_service.yaml", tmp_path)
    shutil.copy(CONTENT_DIR / "schema.json", tmp_path)
    shutil.copy(PACKS / "mini.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("id: broken\nversion: [\n", encoding="utf-8")
    library = PackLibrary(tmp_path)
    monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library", lambda: library)
    return tmp_path


# ----- the editor ------------------------------------------------------------------------------

def test_studio_view_renders_every_setting_and_question(author, block, pack):
    html = author.render(block, "studio_view")
    assert "data-init='CompetencyAssessmentStudio'" in html
    resources = author.runtime.render(block, "studio_view").resources
    assert any("function CompetencyAssessmentStudio" in resource.data for resource in resources)
    for field in ("display_name", "pack_id", "content_language", "intro", "max_attempts", "grading_mode",
                  "weight", "retake_policy", "self_assessment_weight"):
        assert f'data-field="{field}"' in html
    assert 'value="Service check"' in html and html.count("data-cut=") == 2
    assert html.count('data-list="lessons"') == 3 and 'data-list="links"' in html
    assert html.count("data-item=") == len(pack.items)
    assert '<option value="customer_service" selected>' in html


def test_studio_view_shows_saved_values_escaped(author, block, pack):
    values = full_settings(pack)
    values["follow_up_lessons"]["2"] = [{"title": "<script>alert(1)</script>", "url": "/x"}]
    assert save(author, block, values)[0] == 200
    html = author.render(block, "studio_view")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'value="65"' in html and 'value="75.5"' in html and 'value="0.2"' in html
    assert "Free webinar" in html and 'value="https://example.org/webinar?a=1&amp;b=2"' in html
    assert 'data-added-type="situational"' in html and 'value="greets_regulars"' in html
    assert f'data-item="{pack.items[0].id}" data-edited="1"' in html
    assert "Notices hesitation" in html


def test_studio_view_lists_packs_and_survives_a_broken_one(author, packs_dir):
    block = author.load('<competency_assessment pack_id="broken"/>')
    html = author.render(block, "studio_view")
    assert '<option value="mini">' in html and "Mini (mini)" in html
    assert '<option value="broken" selected>' in html
    assert "cannot be used" in html and "data-questions" not in html


# ----- saving ----------------------------------------------------------------------------------

def test_every_field_is_saved(author, block, pack):
    values = full_settings(pack)
    status, body = save(author, block, values)
    assert (status, body) == (200, {"result": "success", "warnings": []})
    assert settings(block) == values
    assert block.validate().messages == []


def test_defaults_reset_fields_and_default_values_are_not_stored(author, block, pack):
    save(author, block, full_settings(pack))
    status, _ = save(author, block, {"max_attempts": 0}, defaults=["cut_scores", "self_assessment_weight"])
    assert status == 200
    for name in ("cut_scores", "self_assessment_weight", "max_attempts"):
        assert not block.fields[name].is_set_on(block), name
    assert block.cut_scores == [] and block.self_assessment_weight is None and block.max_attempts == 0


def test_saved_texts_are_trimmed_and_unchanged_texts_dropped(author, block, pack):
    item = pack.items[0]
    overrides = {"edited": {item.id: {"behaviour": dict(item.behaviour)}}, "disabled": [], "added": []}
    values = {"display_name": "  Check  ", "item_overrides": overrides,
              "follow_up_lessons": {"1": [{"title": " Basics ", "url": " /lessons/basics "}]}}
    assert save(author, block, values)[0] == 200
    assert block.display_name == "Check"
    assert block.follow_up_lessons == {"1": [{"title": "Basics", "url": "/lessons/basics"}]}
    assert not block.fields["item_overrides"].is_set_on(block)


BAD_VALUES = [
    ({"max_attempts": "x"}, "Attempts:"), ({"max_attempts": -1}, "Attempts:"), ({"max_attempts": 2.5}, "Attempts:"),
    ({"max_attempts": True}, "Attempts:"), ({"max_attempts": 101}, "Attempts:"), ({"max_attempts": None}, "Attempts:"),
    ({"weight": "heavy"}, "Problem weight:"), ({"weight": -1}, "Problem weight:"),
    ({"weight": 1e9}, "Problem weight:"),
    ({"cut_scores": [80, 50]}, "Cut scores: C1 must be lower than C2"),
    ({"cut_scores": [50, 50]}, "Cut scores: C1 must be lower than C2"),
    ({"cut_scores": [-1, 50]}, "Cut scores: cut scores must lie between 0 and 100"),
    ({"cut_scores": [50, 101]}, "Cut scores: cut scores must lie between 0 and 100"),
    ({"cut_scores": ["fifty", 80]}, "Cut scores: both cut scores must be numbers"),
    ({"cut_scores": [None, 80]}, "Cut scores: both cut scores must be numbers"),
    ({"cut_scores": [50]}, "Cut scores: give two numbers"), ({"cut_scores": None}, "Cut scores: give two numbers"),
    ({"cut_scores": "50,80"}, "Cut scores: give two numbers"),
    ({"cut_scores": [50, 80]}, "Cut scores: random answering reaches level 2 in"),   # chance: about half
    ({"item_overrides": {"disabled": ["angry_complaint", "children_at_service_point"]}},
     "Question overrides: dimension 'tolerance' has 1 situational question(s), fewer than the 2 it needs"),
    ({"self_assessment_weight": 0.6}, "Self-assessment weight:"),
    ({"self_assessment_weight": -0.1}, "Self-assessment weight:"),
    ({"self_assessment_weight": "a lot"}, "Self-assessment weight:"),
    ({"pack_id": "no_such_pack"}, "Competency pack: the pack 'no_such_pack' cannot be used"),
    ({"pack_id": ""}, "Competency pack: choose one of the installed packs"),
    ({"grading_mode": "points"}, "Grading mode: must be one of: score, level"),
    ({"retake_policy": "first"}, "Result that counts:"),
    ({"content_language": "de"}, "Content language: 'de' is not one of the pack's languages"),
    ({"display_name": "   "}, "Display name:"), ({"intro": 42}, "Introduction:"),
    ({"follow_up_lessons": {"1": [{"title": "x", "url": "javascript:alert(1)"}]}}, "Follow-up lessons: level 1"),
    ({"follow_up_lessons": {"1": [{"title": "x", "url": "data:text/html,<b>hi</b>"}]}}, "not an http(s) link"),
    ({"follow_up_lessons": {"1": [{"title": "x", "url": "//evil.example/x"}]}}, "Follow-up lessons:"),
    ({"follow_up_lessons": {"1": [{"title": "", "url": "/x"}]}}, "Follow-up lessons: level 1, lesson 1: needs a title"),
    ({"follow_up_lessons": {"4": []}}, "Follow-up lessons: '4' is not a level"),
    ({"follow_up_lessons": [{"title": "x", "url": "/x"}]}, "Follow-up lessons: must be an object"),
    ({"extra_links": [{"levels": [1], "title": "x", "url": "javascript:alert(1)"}]}, "Extra training links: link 1"),
    ({"extra_links": [{"levels": [1], "title": "x", "url": "data:text/html,hi"}]}, "not an http(s) link"),
    ({"extra_links": [{"levels": [1], "title": "x", "url": "/relative"}]}, "not an http(s) link"),
    ({"extra_links": [{"levels": [4], "title": "x", "url": "https://e.org"}]}, "levels must list some of 1, 2"),
    ({"extra_links": [{"levels": [], "title": "x", "url": "https://e.org"}]}, "levels must list some of 1, 2"),
    ({"extra_links": [{"levels": [1], "title": "x", "url": "https://e.org", "kind": "ad"}]}, "kind must be one of"),
    ({"item_overrides": {"disabled": ["ghost_item"]}}, "Question overrides: disabled: no question 'ghost_item'"),
    ({"item_overrides": {"edited": {"ghost_item": {"behaviour": {"en": "x"}}}}}, "no question 'ghost_item'"),
    ({"item_overrides": {"added": ["NEW"]}}, "Question overrides: added question 1: must be an object"),
    ({"item_overrides": None}, "Question overrides: must be an object"), ({"extra_links": None}, "must be a list"),
    ({"content_language": None}, "Content language: must be a language code"),
    ({"retake_wait_days": -1}, "Wait before a retake (days): must be a whole number of days"),
    ({"retake_wait_days": 366}, "from 0 (no wait) to 365"), ({"retake_wait_days": 1.5}, "Wait before a retake"),
    ({"dimension_follow_ups": {"ghost": {"1": [{"title": "x", "url": "/x"}]}}},
     "Lessons per dimension: 'ghost' is not a dimension of the pack"),
    ({"dimension_follow_ups": {"communication": {}}}, "dimension 'communication': choose at least one level"),
    ({"dimension_follow_ups": {"communication": {"": [{"title": "x", "url": "/x"}]}}}, "choose the level (1, 2 or 3)"),
    ({"dimension_follow_ups": {"communication": {"1": [{"title": "x", "url": "javascript:alert(1)"}]}}},
     "Lessons per dimension: dimension 'communication', level 1, lesson 1"),
    ({"dimension_follow_ups": {"communication": {"1": [{"title": "x", "url": "ftp://e.org/x"}]}}},
     "not an http(s) link"),
    ({"dimension_follow_ups": []}, "Lessons per dimension: must be an object"),
]


@pytest.mark.parametrize("values, message", BAD_VALUES)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(author, block, pack, values, message):
    save(author, block, {"cut_scores": [40, 70], "intro": "Before"})
    before = settings(block)
    # a good change rides along: it must not be saved either
    status, body = save(author, block, {"display_name": "Changed", "intro": "After", **values})
    assert status == 400, body
    assert message in body["error"], body["error"]
    assert any(message in entry["text"] for entry in body["messages"])
    assert settings(block) == before


@pytest.mark.parametrize("added, message", [
    (lambda pack: [new_item(pack, pack.items[0].id)], "duplicate question id"),
    (lambda pack: [new_item(pack), new_item(pack)], "duplicate question id 'greets_regulars'"),
    (lambda pack: [dict(new_item(pack), options=[])], "options: needs at least 2 entries"),
    (lambda pack: [dict(new_item(pack), dimension="ghost")], "unknown dimension 'ghost'"),
])
def test_bad_added_questions_are_refused(author, block, pack, added, message):
    before = settings(block)
    status, body = save(author, block, {"item_overrides": {"added": added(pack)}})
    assert status == 400 and "Question overrides:" in body["error"] and message in body["error"], body
    assert settings(block) == before


@pytest.mark.parametrize("payload, status, message", [
    (b"not json", 400, "not valid JSON"), (b"[1]", 400, "must be a JSON object"),
    (b'{"values": [1]}', 400, '"values" must be an object'),
    (b'{"values": {}, "defaults": "cut_scores"}', 400, '"values" must be an object'),
    (b'{"values": {"answers": {}}}', 400, "Unknown field(s): answers."),
    (b'{"values": {}, "defaults": ["results"]}', 400, "Unknown field(s): results."),
    (b'{"values": {"weight": NaN}}', 400, "Problem weight:"),
])
def test_bad_requests_get_4xx_and_change_nothing(author, block, payload, status, message):
    before = settings(block)
    code, body = author.call(block, "submit_studio_edits", payload)
    assert code == status and message in body["error"]
    assert settings(block) == before


def test_get_is_refused(author, block):
    assert author.call(block, "submit_studio_edits", b"", method="GET")[0] == 405


def test_too_few_questions_is_saved_with_a_warning(author, block, pack):
    dimension = pack.dimensions[0]
    in_dimension = [item for item in pack.items if item.dimension == dimension.id]
    situational = [item.id for item in in_dimension if item.is_situational]
    keep = pack.scoring.min_situational_per_dimension   # fewer situational questions are refused (below)
    disabled = situational[keep:] + [item.id for item in in_dimension if not item.is_situational]
    assert keep < pack.scoring.min_items_per_dimension
    status, body = save(author, block, {"item_overrides": {"disabled": disabled}})
    assert status == 200 and block.item_overrides == {"disabled": disabled}
    assert f"dimension '{dimension.id}' has {keep} question(s)" in body["warnings"][0]
    (message,) = block.validate().messages
    assert message.type == ValidationMessage.WARNING and "Question overrides:" in message.text


def test_switching_pack_clears_overrides_and_checks_the_language(author, packs_dir):
    block = author.load('<competency_assessment pack_id="customer_service"/>')
    save(author, block, {"content_language": "pl", "item_overrides": {"disabled": ["store_hesitant_customer"]}})
    before = settings(block)
    status, body = save(author, block, {"pack_id": "mini"})   # overrides of the old pack do not fit the new
    assert status == 400 and "no question 'store_hesitant_customer'" in body["error"]
    assert settings(block) == before
    status, _ = save(author, block, {"pack_id": "mini", "content_language": "en"}, defaults=["item_overrides"])
    assert status == 200 and (block.pack_id, block.content_language, block.item_overrides) == ("mini", "en", {})


def test_a_broken_pack_can_be_left_but_not_chosen(author, packs_dir):
    block = author.load('<competency_assessment pack_id="customer_service"/>')
    status, body = save(author, block, {"pack_id": "broken"})
    assert status == 400 and "Competency pack: the pack 'broken' cannot be used" in body["error"]
    assert "invalid YAML" in body["error"] and block.pack_id == "customer_service"
    stuck = author.load('<competency_assessment pack_id="broken"/>')
    assert save(author, stuck, {"display_name": "Still editable"})[0] == 200
    assert save(author, stuck, {"pack_id": "mini"})[0] == 200 and stuck.pack_id == "mini"


# ----- validate() ------------------------------------------------------------------------------

def messages(block) -> list[tuple[str, str]]:
    return [(message.type, message.text) for message in block.validate().messages]


def test_validate_is_quiet_for_defaults(block):
    assert messages(block) == []


@pytest.mark.parametrize("field, value, expected", [
    ("pack_id", "no_such_pack", "Competency pack: the pack 'no_such_pack' cannot be used: no_such_pack.yaml:1: "
                                "no pack 'no_such_pack'"),
    ("cut_scores", [80, 50], "Cut scores: C1 must be lower than C2 (got 80 and 50)."),
    ("cut_scores", [0, 120], "Cut scores: cut scores must lie between 0 and 100."),
    ("follow_up_lessons", {"2": [{"title": "x", "url": "javascript:alert(1)"}]},
     "Follow-up lessons: level 2, lesson 1: 'javascript:alert(1)' is not an http(s) link or a path on this site"),
    ("extra_links", [{"levels": [3], "title": "x", "url": "ftp://files.example.org/a"}],
     "Extra training links: link 1: 'ftp://files.example.org/a' is not an http(s) link."),
    ("item_overrides", {"disabled": ["ghost"]}, "Question overrides: disabled: no question 'ghost' in the pack."),
])
def test_validate_reports_bad_settings_as_errors(block, field, value, expected):
    setattr(block, field, value)   # as an OLX import or an old course could leave it
    assert [kind for kind, text in messages(block) if text.startswith(expected)] == [ValidationMessage.ERROR], \
        messages(block)


def test_validate_reports_a_broken_pack(author, packs_dir):
    block = author.load('<competency_assessment pack_id="broken"/>')
    ((kind, text),) = messages(block)
    assert kind == ValidationMessage.ERROR and "the pack 'broken' cannot be used" in text and "invalid YAML" in text


# ----- the learner side follows the authoring ---------------------------------------------------

def test_learner_view_and_scoring_follow_the_overrides(author, block, pack, learner):
    values = {**full_settings(pack), "retake_wait_days": 0}   # three submits in a row
    assert save(author, block, values)[0] == 200
    mine = learner.block(block.scope_ids.usage_id)
    html = learner.render(mine)
    disabled, edited = pack.items[1], pack.items[0]
    assert f'data-item="{disabled.id}"' not in html and 'data-item="greets_regulars"' in html
    assert "A regular customer walks in." in html and "Greet them by name" in html
    assert "points" not in html and html.count("<fieldset") == len(pack.items)   # one off, one added
    answers = {k: v for k, v in answer_set(pack, "best").items() if k != disabled.id}
    code, body = learner.call(mine, "submit", {"answers": answers})
    assert code == 400 and "(1 question left)" in body["error"]
    with_added = {**answers, "greets_regulars": "a"}
    code, body = learner.call(mine, "submit", {"answers": with_added})
    assert code == 200 and mine.results[-1]["overall"] == 100, body
    # the worst answers to the edited and the added question lower the result, named by their texts
    worst_option = min(edited.options, key=lambda option: option.points).id
    code, body = learner.call(mine, "submit", {"answers": {**with_added, edited.id: worst_option,
                                                           "greets_regulars": "c"}})
    assert code == 200 and mine.results[-1]["overall"] < 100
    lowered = body["result_html"].split('class="ca-lowered"')[1].split("</ul>")[0]
    assert "Notices hesitation" in lowered and "Greets regulars by name" in lowered


def test_extra_links_and_follow_ups_show_for_their_level(author, block, pack, learner):
    values = full_settings(pack)
    values["item_overrides"] = {}
    values["grading_mode"] = "score"
    assert save(author, block, values)[0] == 200
    mine = learner.block(block.scope_ids.usage_id)
    _, body = learner.call(mine, "submit", {"answers": answer_set(pack, "worst")})
    html = body["result_html"]
    assert body["level"] == 1
    assert '<a href="https://example.org/webinar?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">' \
           'Free webinar</a>' in html
    assert '<a href="/courses/demo/jump_to_id/basics">Service basics</a>' in html
    assert "Loyal customers" not in html
    for link in pack.links_for(1):
        assert link.url.replace("&", "&amp;") in html


def test_self_assessment_weight_override_changes_the_score(author, pack, learner):
    answers = answer_set(pack, "middling")
    for item in pack.items:   # self-ratings at the top, situational answers middling
        if not item.is_situational:
            answers[item.id] = 1 if item.reverse else 5
    overall = {}
    for weight in (0.0, 0.5):
        block = author.load(XML)
        assert save(author, block, {"self_assessment_weight": weight})[0] == 200
        mine = learner.block(block.scope_ids.usage_id)
        assert learner.call(mine, "submit", {"answers": answers})[0] == 200
        overall[weight] = mine.results[-1]["overall"]
    assert overall[0.5] > overall[0.0]


def test_the_editor_shows_the_chance_figure_and_the_handler_follows_the_typed_cuts(author, block, pack):
    from competency_xblock.domain import chance
    html = author.render(block, "studio_view")
    expected = chance.pack_chance(pack)
    status, body = author.call(block, "chance_figure", {"cut_scores": [], "self_assessment_weight": None})
    assert status == 200 and body["fair"] is True
    assert f"Random answering reaches level 2 in {chance.percent(expected.level_2_or_3)} % of cases" in body["text"]
    status, body = author.call(block, "chance_figure", {"cut_scores": [50, 80], "self_assessment_weight": 0.3})
    unfair = chance.pack_chance(pack, (50, 80))
    assert status == 200 and body["fair"] is False and f"in {chance.percent(unfair.level_2_or_3)} %" in body["text"]
    assert author.call(block, "chance_figure", b"not json")[0] == 400
    assert author.call(block, "chance_figure", {"cut_scores": [80, 50]})[1] == {"text": "", "fair": None}
    assert "data-chance" in html and f"level 2 in {chance.percent(expected.level_2_or_3)} %" in html
