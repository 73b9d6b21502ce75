"""
Studio's validation messages in the designer's language: the domain's messages (English
templates marked with N_ / N_plural) are in every catalogue, and a bad save or validate()
in Russian or Latvian answers with translated messages naming the field.

The expected sentences are written here, not read from the catalogues, so a missing or
wrong translation fails.
"""
from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

import competency_xblock
from competency_xblock.domain import authoring, messages, pack_rules
from competency_xblock.domain.messages import N_, Message

from .test_plurals import COUNTS, FORM_OF
from .test_studio import XML, save, settings

PACKAGE = Path(competency_xblock.__file__).parent
DOMAIN_DIR = PACKAGE / "domain"
LOCALE_DIR = PACKAGE / "conf" / "locale"

BAD_SAVE = {
    "cut_scores": [80, 60],
    "dimension_follow_ups": {"ghost": {"1": [{"title": "Calm", "url": "/courses/demo/jump_to_id/calm"}]}},
    "extra_links": [{"levels": [1], "title": "Webinar", "url": "javascript:alert(1)"}],
}
KNOWN = "needs_empathy, communication, tolerance, product_knowledge, reliability, results"
EXPECTED_SAVE = {
    "ru": {"cut_scores": "Пороговые баллы: C1 должен быть меньше C2 (указано 80 и 60).",
           "extra_links": "Дополнительные ссылки на обучение: ссылка 1: 'javascript:alert(1)' — не ссылка http(s).",
           "dimension_follow_ups": f"Уроки по аспектам: 'ghost' — не аспект пакета; известные: {KNOWN}."},
    "lv": {"cut_scores": "Robežvērtības: C1 jābūt mazākam par C2 (norādīts 80 un 60).",
           "extra_links": "Papildu saites uz mācībām: 1. saite: 'javascript:alert(1)' nav http(s) saite.",
           "dimension_follow_ups": f"Nodarbības pa aspektiem: 'ghost' nav paketes aspekts; zināmie: {KNOWN}."},
    "en": {"cut_scores": "Cut scores: C1 must be lower than C2 (got 80 and 60).",
           "extra_links": "Extra training links: link 1: 'javascript:alert(1)' is not an http(s) link.",
           "dimension_follow_ups": f"Lessons per dimension: 'ghost' is not a dimension of the pack; known: {KNOWN}."},
}


def catalog(language: str) -> gettext.GNUTranslations:
    return gettext.translation("text", str(LOCALE_DIR), [language])


@pytest.mark.parametrize("language", ["ru", "lv", "en"])
def test_a_bad_save_is_refused_in_the_designers_language(staff, language):
    block = staff.load(XML)
    before = settings(block)
    with translation.override(language):
        status, body = save(staff, block, BAD_SAVE)
    assert status == 400
    assert {message["field"]: message["text"] for message in body["messages"]} == EXPECTED_SAVE[language]
    assert body["error"] == " ".join(message["text"] for message in body["messages"])
    assert settings(block) == before


@pytest.mark.parametrize("language, expected", [
    ("ru", [("error", "Пороговые баллы: C1 должен быть меньше C2 (указано 80 и 60)."),
            ("error", "Дополнительные ссылки на обучение: ссылка 1: нужно название."),
            ("error", "Дополнительные уроки: уровень 2, урок 1: 'ftp://x.org' — не ссылка http(s) и не путь на "
                      "этом сайте (/...).")]),
    ("lv", [("error", "Robežvērtības: C1 jābūt mazākam par C2 (norādīts 80 un 60)."),
            ("error", "Papildu saites uz mācībām: 1. saite: nepieciešams nosaukums."),
            ("error", "Papildu nodarbības: 2. līmenis, 1. nodarbība: 'ftp://x.org' nav http(s) saite un nav ceļš "
                      "šajā vietnē (/...).")]),
])
def test_validate_speaks_the_designers_language(staff, language, expected):
    """An imported course can hold what a save refuses: Studio's warnings say so in the designer's language."""
    block = staff.load(XML)
    block.cut_scores = [80, 60]
    block.extra_links = [{"levels": [1], "title": " ", "url": "https://example.org/webinar"}]
    block.follow_up_lessons = {"2": [{"title": "Basics", "url": "ftp://x.org"}]}
    with translation.override(language):
        shown = [(message.type, message.text) for message in block.validate().messages]
    assert sorted(shown) == sorted(expected)


def test_an_added_question_problem_is_translated_to_its_place(staff, pack):
    """Nested places ("added question 1 ('x').options") and the pack's own dimension ids in Russian."""
    item = {"id": "extra", "type": "situational", "dimension": "nowhere", "behaviour": {"en": "Greets"},
            "scene": {"en": "A customer walks in."},
            "options": [{"id": "a", "points": 2, "text": {"en": "Greet"}}, {"id": "b", "points": 0, "text": {"en": "Nod"}}]}
    block = staff.load(XML)
    with translation.override("ru"):
        status, body = save(staff, block, {"item_overrides": {"added": [item]}})
    assert status == 400
    texts = [message["text"] for message in body["messages"]]
    assert {message["field"] for message in body["messages"]} == {"item_overrides"}
    field = catalog("ru").gettext(block.fields["item_overrides"].display_name)
    assert field != block.fields["item_overrides"].display_name
    assert f"{field}: добавленный вопрос 1 ('extra').dimension: неизвестный аспект 'nowhere'; известные: {KNOWN}." \
        in texts, texts
    assert f"{field}: добавленный вопрос 1 ('extra').options: ни один вариант не оценён в 3 балла (лучший ответ)." \
        in texts, texts


@pytest.mark.parametrize("language, expected", [
    ("ru", {1: "в аспекте 'calm' 1 ситуационный вопрос", 2: "в аспекте 'calm' 2 ситуационных вопроса",
            5: "в аспекте 'calm' 5 ситуационных вопросов", 21: "в аспекте 'calm' 21 ситуационный вопрос",
            0: "в аспекте 'calm' 0 ситуационных вопросов"}),
    ("lv", {1: "aspektam 'calm' ir 1 situācijas jautājums", 2: "aspektam 'calm' ir 2 situācijas jautājumi",
            5: "aspektam 'calm' ir 5 situācijas jautājumi", 21: "aspektam 'calm' ir 21 situācijas jautājums",
            0: "aspektam 'calm' ir 0 situācijas jautājumu"}),
    ("pl", {1: "wymiar 'calm' ma 1 pytanie sytuacyjne", 2: "wymiar 'calm' ma 2 pytania sytuacyjne",
            5: "wymiar 'calm' ma 5 pytań sytuacyjnych", 21: "wymiar 'calm' ma 21 pytań sytuacyjnych",
            0: "wymiar 'calm' ma 0 pytań sytuacyjnych"}),
])
def test_counted_studio_messages_take_each_languages_plural_form(language, expected):
    compiled = catalog(language)
    for count in COUNTS:
        message = pack_rules.shortfall_message("calm", count, 30)
        assert message.startswith(f"dimension 'calm' has {count} situational question(s)")   # English unchanged
        text = messages.translate(message, compiled.gettext, compiled.ngettext)
        assert text.startswith(expected[count]), (count, text)
        assert "(30)" in text


def test_a_translation_that_does_not_fit_its_template_falls_back_to_english():
    message = Message(N_("link {number}"), number=3)
    assert messages.translate(message, lambda text: "saite {nummer}", lambda *_: "") == "link 3"
    assert messages.translate("plain text", str.upper, None) == "plain text"


# ----- every message the domain can produce is in the catalogues -----------------------------------

def domain_templates() -> set:
    """The first argument of every N_(...) and the (singular, plural) of every N_plural(...) in the domain."""
    found = set()
    for path in DOMAIN_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "N_plural"):
                strings = tuple(arg.value for arg in node.args)
                assert all(isinstance(value, str) for value in strings), (path.name, node.lineno)
                found.add(strings[0] if node.func.id == "N_" else strings)
    return found


def test_the_domain_marks_its_studio_messages():
    templates = domain_templates()
    assert len(templates) > 50
    assert "C1 must be lower than C2 (got {c1:g} and {c2:g})" in templates
    assert any(isinstance(template, tuple) and "situational question(s)" in template[0] for template in templates)


@pytest.mark.parametrize("language", ["en", "pl", "ru", "lv"])
def test_every_domain_message_is_in_the_catalogue(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "text.po").open("rb") as handle:
        entries = {message.id: message.string for message in read_po(handle, locale=language) if message.id}
    for template in domain_templates():
        assert template in entries, template
        if language != "en":
            translated = entries[template]
            assert all(translated) if isinstance(translated, tuple) else translated, template
            if isinstance(translated, tuple):
                assert len(translated) == max(FORM_OF[language].values()) + 1


def test_every_domain_message_renders_in_every_language():
    """The fields of each translation match its template's: formatting with sample values raises nothing."""
    samples = {name: "x" for name in ("where", "problem", "level", "url", "dimension", "known", "kinds", "choices",
                                      "language", "languages", "item", "key", "allowed", "option", "id", "share",
                                      "value", "name", "type", "expected", "situational", "self_assessment", "file",
                                      "new_file", "levels", "cuts", "size", "pack", "packs", "error")}
    samples.update(limit=5, number=2, c1=60, c2=70, minimum=3, found=1)
    for language in ("pl", "ru", "lv"):
        compiled = catalog(language)
        for template in domain_templates():
            for count in COUNTS if isinstance(template, tuple) else (None,):
                text = (compiled.ngettext(*template, count) if count is not None
                        else compiled.gettext(template)).format(count=count, **samples)
                assert "{" not in text or "{level" in template, (language, template, text)


def test_messages_are_english_strings_for_the_command_line():
    problems = authoring.cut_score_problems([70, 60])
    assert problems == ["C1 must be lower than C2 (got 70 and 60)"]
    assert isinstance(problems[0], str) and problems[0].params == {"c1": 70, "c2": 60}


# ----- the pack loader's problems, as a designer typing a course pack in Studio meets them -----------

SCHEMA_PROBLEMS = {  # the line's text to find -> what Studio answers on that line
    "colour: blue": {"pl": "colour: nieznane pole; dozwolone tutaj: ",
                     "ru": "colour: неизвестное поле; здесь допустимы: ",
                     "lv": "colour: nezināms lauks; šeit atļauti: "},
    "reverse: often": {"pl": "items[5].reverse: 'often' nie jest typu 'boolean'",
                       "ru": "items[5].reverse: 'often' не относится к типу 'boolean'",
                       "lv": "items[5].reverse: 'often' nav tipa 'boolean'"},
}
RULE_PROBLEMS = {  # checked once the pack has the schema's shape; the second of the two ids is the one named
    "- id: colleague_stuck": {"pl": "items[3].id: powtórzony identyfikator pytania 'colleague_stuck'",
                              "ru": "items[3].id: повторяется идентификатор вопроса 'colleague_stuck'",
                              "lv": "items[3].id: atkārtots jautājuma identifikators 'colleague_stuck'"},
}
LINE = {"pl": "wiersz", "ru": "строка", "lv": "rinda"}


def teamwork_pack(schema_problems: bool) -> str:
    """The teamwork example with an item id written twice, and with the problems of SCHEMA_PROBLEMS too."""
    from .conftest import TEAMWORK_PATH  # pylint: disable=import-outside-toplevel
    text = TEAMWORK_PATH.read_text(encoding="utf-8").replace("  - id: delay_news\n", "  - id: colleague_stuck\n")
    if schema_problems:
        text = text.replace("version: 1\n", "version: 1\ncolour: blue\n").replace("    reverse: true\n",
                                                                                "    reverse: often\n", 1)
    return text


@pytest.mark.parametrize("language", ["pl", "ru", "lv"])
@pytest.mark.parametrize("expected", [SCHEMA_PROBLEMS, RULE_PROBLEMS], ids=["schema", "rules"])
def test_a_broken_course_pack_is_refused_in_the_designers_language(staff, language, expected):
    """A typed pack's problems, line by line, as the designer reads them in Studio; nothing is kept."""
    broken = teamwork_pack(schema_problems=expected is SCHEMA_PROBLEMS)
    block = staff.load('<competency_assessment pack_id="customer_service"/>')
    with translation.override(language):
        status, body = staff.call(block, "save_course_pack", {"yaml": broken})
    assert status == 400
    assert len(body["problems"]) == len(expected), body["problems"]
    for needle, texts in expected.items():
        line = max(n for n, text in enumerate(broken.splitlines(), start=1) if needle in text)
        start = f"{LINE[language]} {line}: {texts[language]}"
        assert any(problem.startswith(start) for problem in body["problems"]), (start, body["problems"])
    assert not staff.block(block.scope_ids.usage_id).fields["course_pack"].is_set_on(block)


@pytest.mark.parametrize("language, expected", [
    ("pl", "wiersz 2: niepoprawny YAML: kotwice i aliasy (*nazwa) są w pakiecie niedozwolone"),
    ("ru", "строка 2: некорректный YAML: якоря и псевдонимы (*имя) в пакете не допускаются"),
    ("lv", "rinda 2: nederīgs YAML: enkuri un aizstājvārdi (*nosaukums) paketē nav atļauti"),
])
def test_a_refused_alias_is_told_in_the_designers_language(staff, language, expected):
    from .test_validator_messages import alias_bomb  # pylint: disable=import-outside-toplevel
    block = staff.load('<competency_assessment pack_id="customer_service"/>')
    with translation.override(language):
        status, body = staff.call(block, "save_course_pack", {"yaml": alias_bomb()})
    assert status == 400 and body["problems"][0].startswith(expected), body["problems"]
