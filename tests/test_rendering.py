"""
Rendering: templates compiled once, in the block's language, escaped; the result page without
the questions, which a retake asks for (``question_form``).
"""
from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real

import competency_xblock
from competency_xblock.blocks import templates

from .conftest import answer_set

LOCALE_DIR = Path(competency_xblock.__file__).parent / "conf" / "locale"
POLISH = gettext.translation("text", str(LOCALE_DIR), ["pl"])
XML = '<competency_assessment pack_id="customer_service"{attributes}/>'


def questions_in(html: str) -> list[str]:
    return re.findall(r'<fieldset[^>]* data-item="([^"]+)"', html)


def checked_in(html: str) -> dict:
    return dict(re.findall(r'name="ca-([^"]+)" value="([^"]+)" checked', html))


# ----- the template helper ---------------------------------------------------------------------

def test_a_template_is_read_and_compiled_once(monkeypatch):
    reads = []
    real_read_text = templates.package_data.read_text

    def counting_read_text(relative):
        reads.append(relative)
        return real_read_text(relative)

    templates.compiled.cache_clear()
    monkeypatch.setattr(templates.package_data, "read_text", counting_read_text)
    context = {"is_staff": False, "issues": []}
    first = templates.render("static/html/pack_error.html", context)
    assert templates.render("static/html/pack_error.html", context) == first
    assert len(reads) == 1


def test_authored_text_is_escaped():
    html = templates.render("static/html/questions.html", {"groups": [{
        "id": "g", "name": "<script>alert(1)</script>", "description": "",
        "questions": [{"id": "q", "situational": True, "prompt": '"><img src=x onerror=alert(1)>',
                       "choices": [{"value": "a", "label": "<b>bold</b>", "checked": False}]}]}]})
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_ui_strings_come_from_the_blocks_catalog_in_polish(learner):
    assert POLISH.gettext("Submit answers") != "Submit answers", "the pl catalog is not compiled"
    block = learner.load(XML.format(attributes=""))
    with translation.override("pl"):
        html = learner.render(block)
    assert POLISH.gettext("Submit answers") in html
    assert "Submit answers" not in html
    with translation.override("en"):
        assert "Submit answers" in learner.render(learner.block(block.scope_ids.usage_id))


def test_plural_strings_follow_the_polish_plural_rules(learner, pack):
    block = learner.load(XML.format(attributes=' max_attempts="3"'))
    status, _ = learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    assert status == 200
    with translation.override("pl"):
        html = learner.render(learner.block(block.scope_ids.usage_id))
    expected = POLISH.ngettext("%(counter)s attempt left", "%(counter)s attempts left", 2) % {"counter": 2}
    assert expected != "2 attempts left" and expected in html


def test_the_blocks_catalog_is_active_only_while_a_template_renders(learner):
    """Django's process-wide translations and the active language are as they were after a render."""
    block = learner.load(XML.format(attributes=""))
    with translation.override("pl"):
        active_before = trans_real._active.value
        learner.render(block)
        assert trans_real._active.value is active_before
        # a msgid only the block's catalog translates stays untranslated outside the block's templates
        assert translation.gettext("Submit answers") == "Submit answers"
        assert translation.get_language() == "pl"


def test_without_an_i18n_service_the_text_is_the_source_text():
    html = templates.render("static/html/pack_error.html", {"is_staff": False, "issues": []})
    with translation.override("pl"):
        assert templates.render("static/html/pack_error.html", {"is_staff": False, "issues": []}) == html


# ----- the result page and the retake ----------------------------------------------------------

def test_the_form_holds_every_question_before_the_first_submission(learner, pack):
    block = learner.load(XML.format(attributes=""))
    html = learner.render(block)
    assert sorted(questions_in(html)) == sorted(item.id for item in pack.items)
    assert 'class="ca-retake"' not in html


def test_the_result_page_comes_without_the_questions(learner, pack):
    block = learner.load(XML.format(attributes=""))
    status, body = learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    assert status == 200 and questions_in(body["result_html"]) == []
    html = learner.render(learner.block(block.scope_ids.usage_id))
    assert questions_in(html) == []
    assert 'class="ca-retake"' in html and 'data-level="3"' in html
    assert re.search(r'<form class="ca-form" hidden', html), "the empty form is hidden"


def test_a_retake_gets_the_blank_questions(learner, pack):
    block = learner.load(XML.format(attributes=""))
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    status, body = learner.call(learner.block(block.scope_ids.usage_id), "question_form", {})
    assert status == 200
    assert sorted(questions_in(body["html"])) == sorted(item.id for item in pack.items)
    assert checked_in(body["html"]) == {}
    assert "points" not in body["html"] and "reverse" not in body["html"]


def test_a_retake_half_done_shows_the_saved_answers_with_the_result(learner, pack):
    block = learner.load(XML.format(attributes=""))
    learner.call(block, "submit", {"answers": answer_set(pack, "worst")})
    draft = dict(list(answer_set(pack, "best").items())[:5])
    assert learner.call(learner.block(block.scope_ids.usage_id), "save_answers", {"answers": draft})[0] == 200
    expected = {item: str(value) for item, value in draft.items()}

    html = learner.render(learner.block(block.scope_ids.usage_id))
    assert checked_in(html) == expected and 'data-level="1"' in html
    assert not re.search(r'<form class="ca-form" hidden', html)
    status, body = learner.call(learner.block(block.scope_ids.usage_id), "question_form", {})
    assert status == 200 and checked_in(body["html"]) == expected


def test_the_questions_are_refused_when_no_attempt_is_left(learner, pack):
    block = learner.load(XML.format(attributes=' max_attempts="1"'))
    learner.call(block, "submit", {"answers": answer_set(pack, "best")})
    mine = learner.block(block.scope_ids.usage_id)
    status, body = learner.call(mine, "question_form", {})
    assert status == 403 and body["error"]
    assert 'class="ca-retake"' not in learner.render(mine)


@pytest.mark.parametrize("payload, method, status", [
    (b"not json", "POST", 400), (b"[1, 2]", "POST", 400), (b"{}", "GET", 405)])
def test_bad_requests_for_the_questions_get_a_json_error(learner, payload, method, status):
    block = learner.load(XML.format(attributes=""))
    got, body = learner.call(block, "question_form", payload, method=method)
    assert got == status and body["error"]


def test_a_broken_pack_refuses_the_questions(learner):
    block = learner.load('<competency_assessment pack_id="no_such_pack"/>')
    status, body = learner.call(block, "question_form", {})
    assert status == 503 and body["error"]


# ----- the gates listed on the result page -----------------------------------------------------

UNIT = """
<vertical_demo>
  <competency_assessment pack_id="customer_service" retake_policy="{policy}"/>
  <competency_gate display_name="For level 3" levels="[3]"><html_demo>Three</html_demo></competency_gate>
  <competency_gate display_name="For level 1" levels="[1]"><html_demo>One</html_demo></competency_gate>
</vertical_demo>
"""


def follow_ups(html: str) -> list[str]:
    match = re.search(r'<ul class="ca-follow-ups">(.*?)</ul>', html, re.S)
    return re.findall(r">([^<]+)</a>", match.group(1)) if match else []


@pytest.mark.parametrize("policy, opened", [("best", ["For level 3"]), ("latest", ["For level 1"])])
def test_the_result_page_lists_the_gates_the_counted_attempt_opens(learner, pack, policy, opened):
    unit = learner.load(UNIT.format(policy=policy))
    assessment = learner.block(unit.children[0])
    status, body = learner.call(assessment, "submit", {"answers": answer_set(pack, "best")})
    assert status == 200 and follow_ups(body["result_html"]) == ["For level 3"]
    status, body = learner.call(learner.block(assessment.scope_ids.usage_id), "submit",
                                {"answers": answer_set(pack, "worst")})
    assert status == 200 and 'data-level="1"' in body["result_html"]  # the page shows the latest attempt
    assert follow_ups(body["result_html"]) == opened
    assert follow_ups(learner.render(learner.block(assessment.scope_ids.usage_id))) == opened
