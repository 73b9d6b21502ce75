"""Authored text is escaped everywhere it is shown, and no answer key reaches the learner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from competency_xblock.domain.pack_library import PackLibrary

from .conftest import answer_set

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
LOCALIZED = {"name", "category", "definition", "description", "needed_in", "title", "behaviour",
             "scene", "statement", "text"}


def poison(node, key=None):
    """Every authored text of a pack, with an HTML payload prepended."""
    if isinstance(node, dict):
        if key in LOCALIZED:
            return {lang: PAYLOAD + text for lang, text in node.items()}
        if key == "tips" or key == "self_assessment_scale":
            return {lang: [PAYLOAD + t for t in texts] for lang, texts in node.items()}
        return {k: poison(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v) for v in node]
    return node


@pytest.fixture
def poisoned(tmp_path, monkeypatch):
    source = Path(__file__).parent / "packs" / "mini.yaml"
    data = poison(yaml.safe_load(source.read_text(encoding="utf-8")))
    data["id"] = "customer_service"
    (tmp_path / "customer_service.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library = PackLibrary(tmp_path)
    # the block's and the figures' job's packs (cohort_jobs reads them through pack_sources too)
    monkeypatch.setattr("competency_xblock.platform.pack_sources.installed_library", lambda: library)
    return library.get("customer_service")


def assert_escaped(html: str):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_pack_texts_are_escaped_in_learner_and_result_views(learner, poisoned):
    block = learner.load(f'<competency_assessment pack_id="customer_service" display_name="{PAYLOAD.replace("<", "&lt;").replace(chr(34), "&quot;")}"/>')
    block.intro = PAYLOAD
    block.follow_up_lessons = {str(level): [{"title": PAYLOAD, "url": "/lesson"},
                                            {"title": "bad", "url": "javascript:alert(1)"},
                                            {"title": "data", "url": "data:text/html,<script>x</script>"}]
                               for level in (1, 2, 3)}
    assert_escaped(learner.render(block))
    status, body = learner.call(block, "submit", {"answers": answer_set(poisoned, "middling")})
    assert status == 200
    html = body["result_html"]
    assert_escaped(html)
    assert "javascript:" not in html and "data:text" not in html
    assert html.count("&lt;script&gt;") >= 5  # level, tips, behaviours, follow-ups, links all escaped
    assert_escaped(learner.render(learner.block(block.scope_ids.usage_id)))


def test_no_keys_in_learner_html_or_init_data(learner, pack):
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    fragment = learner.runtime.render(block, "student_view")
    html = fragment.body_html()
    init = json.dumps(fragment.json_init_args)
    for text in (html, init):
        assert "points" not in text
        assert "reverse" not in text
    # Each option appears only as its id: no option carries a score-like attribute.
    for item in pack.items:
        if item.is_situational:
            for option in item.options:
                assert f'name="ca-{item.id}" value="{option.id}">' in html


def test_pack_texts_are_escaped_in_fetched_questions_and_staff_figures(learner, staff, poisoned):
    block = learner.load('<competency_assessment pack_id="customer_service"/>')
    assert learner.call(block, "submit", {"answers": answer_set(poisoned, "middling")})[0] == 200
    status, body = learner.call(learner.block(block.scope_ids.usage_id), "question_form", {})
    assert status == 200
    assert_escaped(body["html"])
    status, body = staff.call(staff.block(block.scope_ids.usage_id), "staff_figures", {})
    assert status == 200 and "1 learner has submitted." in body["html"]
    assert_escaped(body["html"])  # level, dimension and behaviour names
