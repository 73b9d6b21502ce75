"""The assessment block in the XBlock SDK's workbench runtime: views, handlers, grades."""
from __future__ import annotations

import pytest

from competency_xblock.domain.pack_library import PackLibrary

from .conftest import answer_set

XML = '<competency_assessment pack_id="customer_service" max_attempts="{attempts}" grading_mode="{mode}"/>'


def make_block(learner, attempts=0, mode="score", **extra):
    attributes = "".join(f' {key}="{value}"' for key, value in extra.items())
    return learner.load(XML.format(attempts=attempts, mode=mode).replace("/>", attributes + "/>"))


def user_state(block):
    return {"answers": block.answers, "results": block.results, "raw_score": block.raw_score}


@pytest.mark.parametrize("quality, level", [("best", 3), ("worst", 1), ("middling", 2)])
def test_answer_sets_reach_their_levels_with_matching_texts(learner, pack, quality, level):
    block = make_block(learner)
    status, body = learner.call(block, "submit", {"answers": answer_set(pack, quality)})
    assert status == 200, body
    assert body["level"] == level
    html = body["result_html"]
    level_info = pack.level(level)
    assert level_info.name["en"] in html
    assert level_info.description["en"].split(".")[0].replace("'", "&#x27;") in html
    for link in pack.links_for(level):
        assert link.url.replace("&", "&amp;") in html
    # tips of the two weakest dimensions are shown
    assert html.count('class="ca-tips"') == 2
    assert 'class="ca-profile"' in html and "<svg" in html


def test_worst_answers_list_what_lowered_the_result(learner, pack):
    block = make_block(learner)
    _, body = learner.call(block, "submit", {"answers": answer_set(pack, "worst")})
    assert 'class="ca-lowered"' in body["result_html"]
    assert 'class="ca-raised"' not in body["result_html"]


def test_follow_up_lessons_for_the_level_are_listed(learner, pack):
    block = make_block(learner)
    block.follow_up_lessons = {"3": [{"title": "Long-term relationships", "url": "/lessons/relationships"}],
                               "1": [{"title": "Service basics", "url": "/lessons/basics"}]}
    _, body = learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    assert '<a href="/lessons/relationships">Long-term relationships</a>' in body["result_html"]
    assert "Service basics" not in body["result_html"]


def test_grade_and_completion_are_published_score_mode(learner, pack):
    block = make_block(learner)
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    (grade,) = learner.published("grade")
    assert grade == {"value": 100.0, "max_value": 100.0, "only_if_higher": True}
    assert learner.published("completion") == [{"completion": 1.0}]
    assert block.max_score() == 100.0


def test_grade_level_mode(learner, pack):
    block = make_block(learner, mode="level")
    learner.call(block, "submit", {"answers": answer_set(pack, "middling")})
    (grade,) = learner.published("grade")
    assert (grade["value"], grade["max_value"]) == (2.0, 3.0)
    assert block.get_score().raw_earned == 2.0


def test_autosave_restores_answers_on_reload(learner, pack):
    block = make_block(learner)
    some = dict(list(answer_set(pack, "best").items())[:5])
    status, body = learner.call(block, "save_answers", {"answers": some})
    assert (status, body) == (200, {"saved": 5})
    reloaded = learner.block(block.scope_ids.usage_id)
    html = learner.render(reloaded)
    for item_id, value in some.items():
        assert f'name="ca-{item_id}" value="{value}" checked' in html


def test_learner_view_has_fieldsets_and_no_keys(learner, pack):
    html = learner.render(make_block(learner))
    assert html.count("<fieldset") == len(pack.items)
    assert html.count("<legend>") == len(pack.items)
    assert "points" not in html


def test_retake_keeps_earlier_results(learner, pack):
    block = make_block(learner, attempts=2)
    learner.call(block, "submit", {"answers": answer_set(pack, "worst")})
    status, body = learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    assert status == 200 and body["level"] == 3 and body["attempts_left"] == 0
    assert [r["level"] for r in block.results] == [1, 3]
    assert 'class="ca-history"' in body["result_html"]
    before = user_state(block)
    status, body = learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    assert status == 403 and "used all your attempts" in body["error"]
    assert user_state(block) == before


def test_best_and_latest_policies(learner, pack):
    block = make_block(learner, retake_policy="latest")
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    learner.call(block, "submit", {"answers": answer_set(pack, "worst")})
    assert block.get_score().raw_earned == pytest.approx(block.results[-1]["overall"], abs=0.01)
    best = make_block(learner, retake_policy="best")
    learner.call(best, "submit", {"answers": answer_set(pack, "best")})
    learner.call(best, "submit", {"answers": answer_set(pack, "worst")})
    assert best.get_score().raw_earned == 100.0


def test_rescore_after_cut_score_change(learner, pack):
    block = make_block(learner, mode="level")
    learner.call(block, "submit", {"answers": answer_set(pack, "middling")})
    block.cut_scores = [10, 20]
    block.rescore(only_if_higher=False)
    assert learner.published("grade")[-1]["value"] == 3.0
    assert block.get_score().raw_earned == 3.0


BAD_BODIES = [
    (b"not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "must be a JSON object"),
    (b'"text"', 400, "must be a JSON object"),
    (b"\xff\xfe", 400, "not valid JSON"),
    (b'{"answers": [1]}', 400, "Answers must be an object"),
    (b'{"answers": {"ghost_item": "a"}}', 400, "Unknown question id(s): ghost_item."),
    (b'{"answers": {"angry_complaint": "z"}}', 400, "must be one of the option ids"),
    (b'{"answers": {"angry_complaint": 3}}', 400, "must be one of the option ids"),
]


@pytest.mark.parametrize("handler", ["save_answers", "submit"])
@pytest.mark.parametrize("payload, status, message", BAD_BODIES)
def test_bad_bodies_get_4xx_and_change_nothing(learner, pack, handler, payload, status, message):
    block = make_block(learner)
    learner.call(block, "save_answers", {"answers": dict(list(answer_set(pack, "best").items())[:3])})
    before = user_state(block)
    code, body = learner.call(block, handler, payload)
    assert code == status and message in body["error"]
    assert user_state(block) == before


def test_self_rating_out_of_range(learner, pack):
    block = make_block(learner)
    self_item = next(item for item in pack.items if not item.is_situational)
    for value in (0, 6, "4", 2.5, None, True):
        code, body = learner.call(block, "save_answers", {"answers": {self_item.id: value}})
        assert code == 400 and "whole number from 1 to 5" in body["error"]
    assert block.answers == {}


def test_submit_with_too_few_answers(learner, pack):
    block = make_block(learner)
    partial = dict(list(answer_set(pack, "best").items())[:-4])
    code, body = learner.call(block, "submit", {"answers": partial})
    assert code == 400 and "(4 questions left)" in body["error"]
    assert block.results == [] and learner.published("grade") == []


def test_forged_fields_are_ignored(learner, pack):
    block = make_block(learner)
    payload = {"answers": answer_set(pack, "worst"), "level": 3, "score": 100, "points": {"a": 3}}
    _, body = learner.call(block, "submit", payload)
    assert body["level"] == 1


def test_get_is_refused(learner):
    block = make_block(learner)
    code, body = learner.call(block, "submit", b"", method="GET")
    assert code == 405


@pytest.fixture
def broken_library(tmp_path, monkeypatch):
    (tmp_path / "customer_service.yaml").write_text("id: customer_service\nversion: [\n", encoding="utf-8")
    monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library", lambda: PackLibrary(tmp_path))


def test_broken_pack_friendly_for_learners_detailed_for_staff(learner, staff, broken_library):
    block = make_block(learner)
    html = learner.render(block)
    assert "not available right now" in html and "invalid YAML" not in html
    staff_html = staff.render(staff.block(block.scope_ids.usage_id))
    assert "Staff only" in staff_html and "invalid YAML" in staff_html
    code, body = learner.call(block, "submit", {"answers": {}})
    assert code == 503 and "not available" in body["error"]


def test_missing_pack(learner):
    block = make_block(learner)
    block.pack_id = "no_such_pack"
    assert "not available right now" in learner.render(block)


def test_lms_javascript_catalogue_is_added_when_the_i18n_service_offers_one(learner, monkeypatch):
    block = make_block(learner)
    i18n = learner.runtime.service(block, "i18n")
    before = learner.runtime.render(block, "student_view").resources
    assert not any(r.kind == "url" and "CompetencyXBlockI18N" in r.data for r in before)
    monkeypatch.setattr(type(i18n), "get_javascript_i18n_catalog_url",
                        lambda self, b: f"/static/js/xblock.v1-i18n/{b.i18n_js_namespace}/pl.js", raising=False)
    resources = learner.runtime.render(block, "student_view").resources
    assert any(r.kind == "url" and r.data.endswith("/CompetencyXBlockI18N/pl.js") for r in resources)
