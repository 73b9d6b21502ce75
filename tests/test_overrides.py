"""Question overrides (pure): checking them against a pack, applying them, trimming what changes nothing."""
from __future__ import annotations

import copy

import pytest

from competency_xblock.domain.overrides import (
    OverridesError, apply_overrides, check_overrides, normalize_overrides, short_dimensions,
)
from competency_xblock.blocks.presenters import question_context


def situational(item_id="new_scene", dimension="listening", **changes):
    item = {"id": item_id, "type": "situational", "dimension": dimension,
            "behaviour": {"en": "Greets warmly"}, "scene": {"en": "A regular walks in."},
            "options": [{"id": "a", "points": 3, "text": {"en": "Greet by name"}},
                        {"id": "b", "points": 0, "text": {"en": "Keep typing"}}]}
    item.update(changes)
    return item


def self_rating(item_id="new_self", dimension="calm", **changes):
    item = {"id": item_id, "type": "self_assessment", "dimension": dimension,
            "behaviour": {"en": "Keeps promises"}, "statement": {"en": "I call back when I said I would."},
            "reverse": False}
    item.update(changes)
    return item


def test_no_overrides_give_the_pack_items(mini_pack):
    assert apply_overrides(mini_pack, {}) == mini_pack.items
    assert apply_overrides(mini_pack, None) == mini_pack.items
    assert check_overrides({}, mini_pack) == []


def test_disabled_items_are_left_out_in_pack_order(mini_pack):
    items = apply_overrides(mini_pack, {"disabled": ["l_self", "c_scene2"]})
    assert [item.id for item in items] == ["l_scene", "l_interrupt", "c_scene", "c_self"]


def test_edits_change_texts_only_and_leave_the_pack_alone(mini_pack):
    before = copy.deepcopy(mini_pack.items)
    edit = {"scene": {"en": "A customer talks fast."}, "behaviour": {"pl": "Słucha uważnie"},
            "options": {"b": {"en": "Listen to the end"}}}
    items = {item.id: item for item in apply_overrides(mini_pack, {"edited": {"l_scene": edit}})}
    scene = items["l_scene"]
    assert scene.prompt == {"en": "A customer talks fast.", "pl": "Klient mówi."}
    assert scene.behaviour == {"en": "Listens", "pl": "Słucha uważnie"}
    assert scene.option("b").text["en"] == "Listen to the end"
    assert [(o.id, o.points) for o in scene.options] == [("a", 0), ("b", 3), ("c", 1)]   # the key is untouched
    assert mini_pack.items == before


def test_added_items_follow_the_pack_items_with_their_own_key(mini_pack):
    items = apply_overrides(mini_pack, {"added": [situational(), self_rating(reverse=True)]})
    assert [item.id for item in items[-2:]] == ["new_scene", "new_self"]
    new_scene, new_self = items[-2:]
    assert new_scene.is_situational and new_scene.option("a").points == 3 and new_scene.max_points == 3
    assert new_self.reverse and new_self.prompt == {"en": "I call back when I said I would."}


@pytest.mark.parametrize("overrides, expected", [
    ({"disabled": ["ghost"]}, "disabled: no question 'ghost' in the pack"),
    ({"disabled": ["l_self", "l_self"]}, "listed twice"),
    ({"disabled": "l_self"}, "must be a list"),
    ({"edited": {"ghost": {"scene": {"en": "x"}}}}, "edited: no question 'ghost' in the pack"),
    ({"edited": {"l_scene": {"statement": {"en": "x"}}}}, "'statement' cannot be edited"),
    ({"edited": {"l_scene": {"options": {"z": {"en": "x"}}}}}, "has no option 'z'"),
    ({"edited": {"l_scene": {"scene": {"de": "x"}}}}, "language 'de' is not among the pack's languages"),
    ({"edited": {"l_scene": {"scene": {"en": "  "}}}}, "must be a non-empty text"),
    ({"edited": {"l_scene": {"scene": {"en": "x" * 2001}}}}, "longer than 2000 characters"),
    ({"added": [situational(item_id="l_scene")]}, "duplicate question id 'l_scene'"),
    ({"added": [situational(), situational()]}, "duplicate question id 'new_scene'"),
    ({"added": [situational(item_id="Bad Id")]}, "is not an id"),
    ({"added": [situational(dimension="ghost")]}, "unknown dimension 'ghost'"),
    ({"added": [situational(options=[{"id": "a", "points": 2, "text": {"en": "x"}},
                                     {"id": "b", "points": 0, "text": {"en": "y"}}])]}, "no option is keyed 3"),
    ({"added": [situational(options=[{"id": "a", "points": 3, "text": {"en": "x"}},
                                     {"id": "a", "points": 0, "text": {"en": "y"}}])]}, "duplicate option id 'a'"),
    ({"added": [situational(options=[{"id": "a", "points": 7, "text": {"en": "x"}},
                                     {"id": "b", "points": 3, "text": {"en": "y"}}])]}, "7 is greater than"),
    ({"added": [situational(options=[{"id": "a", "points": 3, "text": {"en": "x"}}])]},
     "options: needs at least 2 entries, has 1"),
    ({"added": [{k: v for k, v in situational().items() if k != "options"}]}, "'options' is a required property"),
    ({"added": [situational(scene={})]}, "needs a text in at least one language"),
    ({"added": [situational(scene={"fr": "Bonjour"})]}, "language 'fr' is not among"),
    ({"added": [self_rating(reverse="yes")]}, "is not of type 'boolean'"),
    ({"added": [self_rating(type="essay")]}, "type: 'essay' is not one of"),
    ({"added": ["text"]}, "must be an object"),
    ({"added": {"id": "x"}}, "added: must be a list"),
    ({"extra": []}, "unknown key 'extra'"),
    ([], "must be an object"),
])
def test_bad_overrides_are_refused_with_a_message_naming_the_place(mini_pack, overrides, expected):
    problems = check_overrides(overrides, mini_pack)
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(OverridesError):
        apply_overrides(mini_pack, overrides)


def test_an_added_self_assessment_item_needs_no_options(mini_pack):
    assert check_overrides({"added": [self_rating()]}, mini_pack) == []


def test_short_dimensions_after_disabling(mini_pack):
    assert short_dimensions(mini_pack, mini_pack.items) == []
    items = apply_overrides(mini_pack, {"disabled": ["l_self", "l_interrupt"]})
    ((dimension, count),) = short_dimensions(mini_pack, items)
    assert (dimension.id, count) == ("listening", 1)
    # an added item can make up for it
    items = apply_overrides(mini_pack, {"disabled": ["l_self", "l_interrupt"], "added": [situational()]})
    assert short_dimensions(mini_pack, items) == []


def test_normalize_drops_unchanged_and_blank_texts_and_empty_sections(mini_pack):
    raw = {"disabled": [], "added": [],
           "edited": {"l_scene": {"scene": {"en": "A customer talks.", "pl": "Klient mówi szybko."},
                                  "behaviour": {"en": "", "pl": "Słucha"},
                                  "options": {"a": {"en": "Interrupt"}, "b": {"en": "Hear them out"}}},
                      "c_scene": {"scene": {"en": "A customer shouts.", "pl": "  "}}}}
    assert normalize_overrides(raw, mini_pack) == {
        "edited": {"l_scene": {"scene": {"pl": "Klient mówi szybko."}, "options": {"b": {"en": "Hear them out"}}}}}


def test_normalize_passes_odd_shapes_through_for_the_check(mini_pack):
    raw = {"edited": {"ghost": {"scene": {"en": "x"}}, "l_scene": "text"}, "disabled": "l_self"}
    normalized = normalize_overrides(raw, mini_pack)
    assert normalized == raw
    assert len(check_overrides(normalized, mini_pack)) == 3


def test_learner_questions_of_added_items_carry_no_answer_key(mini_pack):
    secret = situational(options=[{"id": "a", "points": 3, "text": {"en": "Greet by name"}},
                                  {"id": "b", "points": 1, "text": {"en": "Nod"}}])
    items = apply_overrides(mini_pack, {"added": [secret]})
    groups = question_context(mini_pack, items, "en", {})
    (question,) = [q for group in groups for q in group["questions"] if q["id"] == "new_scene"]
    assert question["choices"] == [{"value": "a", "label": "Greet by name", "checked": False},
                                   {"value": "b", "label": "Nod", "checked": False}]
    assert "points" not in repr(groups)
