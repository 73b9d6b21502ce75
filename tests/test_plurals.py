"""
Plural forms: every UI string with a count goes through ngettext, and each catalogue picks the
form its language needs for 1, 2, 5, 21 and 0 (Polish and Russian have three forms, Latvian
three with a form of its own for zero).

The expected form of each count is written here from the languages' grammar (CLDR), not read
from the catalogues' Plural-Forms headers, so a wrong header fails.
"""
from __future__ import annotations

import gettext
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

import competency_xblock
from competency_xblock.domain import reports, statistics
from competency_xblock.platform.services import RuntimeServicesMixin

from .conftest import answer_set

LOCALE_DIR = Path(competency_xblock.__file__).parent / "conf" / "locale"
COUNTS = (1, 2, 5, 21, 0)
# The msgstr index each count takes: one / few / many (pl, ru); one / other / zero (lv).
FORM_OF = {
    "en": {1: 0, 2: 1, 5: 1, 21: 1, 0: 1},
    "pl": {1: 0, 2: 1, 5: 2, 21: 2, 0: 2},
    "ru": {1: 0, 2: 1, 5: 2, 21: 0, 0: 2},
    "lv": {1: 0, 2: 1, 5: 1, 21: 0, 0: 2},
}
XML = '<competency_assessment pack_id="customer_service"{attributes}/>'


def catalog(domain: str, language: str) -> gettext.GNUTranslations:
    return gettext.translation(domain, str(LOCALE_DIR), [language])


def plural_messages(domain: str, language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return [message for message in read_po(handle, locale=language) if message.pluralizable]


@pytest.mark.parametrize("language", ["pl", "ru", "lv"])
@pytest.mark.parametrize("domain", ["text", "djangojs"])
def test_each_count_gets_its_languages_form(domain, language):
    messages = plural_messages(domain, language)
    assert messages, f"no plural strings in {domain}"
    compiled = catalog(domain, language)
    for message in messages:
        singular, plural = message.id
        assert len(message.string) == 3
        for count in COUNTS:
            assert compiled.ngettext(singular, plural, count) == message.string[FORM_OF[language][count]], \
                (message.id, count)


def test_every_counted_source_string_is_a_plural():
    """The strings that carry a count are extracted as singular/plural pairs."""
    counted = {"%(counter)s attempt left", "%(counter)s learner has submitted.",
               "Please answer every question before submitting ({count} question left).",
               "Not enough data: fewer than {count} complete response.",
               "Option %(id)s (%(counter)s point)"}
    text = {message.id[0] for message in plural_messages("text", "en")}
    assert counted <= text
    assert any("A figure needs at least %(count)s response." in msgid for msgid in text)
    assert any("needs at least %(min_items)s question to be scored." in msgid for msgid in text)
    assert {message.id[0] for message in plural_messages("djangojs", "en")} == {
        "%(done)s of %(total)s question answered"}


@pytest.mark.parametrize("language, expected", [
    ("ru", ["Осталась 1 попытка", "Осталось 2 попытки", "Осталось 5 попыток", "Осталась 21 попытка",
            "Осталось 0 попыток"]),
    ("lv", ["Vēl 1 mēģinājums", "Vēl 2 mēģinājumi", "Vēl 5 mēģinājumi", "Vēl 21 mēģinājums",
            "Vēl 0 mēģinājumu"]),
    ("pl", ["Pozostało 1 podejście", "Pozostały 2 podejścia", "Pozostało 5 podejść", "Pozostało 21 podejść",
            "Pozostało 0 podejść"]),
])
def test_the_result_page_counts_attempts_left_in_the_learners_language(learner, pack, language, expected):
    """Through the real template: one attempt submitted, max_attempts = 1 + count."""
    for count, text in zip(COUNTS, expected):
        if count == 0:  # the page says "You have used all your attempts" instead; the catalogue still has 0
            assert catalog("text", language).ngettext(
                "%(counter)s attempt left", "%(counter)s attempts left", 0) % {"counter": 0} == text
            continue
        block = learner.load(XML.format(attributes=f' max_attempts="{count + 1}"'))
        with translation.override(language):
            status, body = learner.call(block, "submit", {"answers": answer_set(pack, "best")})
        assert status == 200
        assert text in body["result_html"], text


@pytest.mark.parametrize("language", ["ru", "lv", "pl", "en"])
def test_submit_names_the_unanswered_questions_in_the_right_form(learner, pack, language):
    messages = catalog("text", language) if language != "en" else gettext.NullTranslations()
    answers = answer_set(pack, "best")
    for count in (1, 2, 5, 21):
        partial = dict(list(answers.items())[count:])
        block = learner.load(XML.format(attributes=""))
        with translation.override(language):
            status, body = learner.call(block, "submit", {"answers": partial})
        assert status == 400
        assert body["error"] == messages.ngettext(
            "Please answer every question before submitting ({count} question left).",
            "Please answer every question before submitting ({count} questions left).",
            count).format(count=count)
    if language == "ru":
        assert body["error"].endswith("(остался 21 вопрос).")


@pytest.mark.parametrize("language, expected", [
    ("ru", {1: "меньше 1 полного ответа", 2: "меньше 2 полных ответов", 5: "меньше 5 полных ответов",
            21: "меньше 21 полного ответа", 0: "меньше 0 полных ответов"}),
    ("lv", {1: "mazāk nekā 1 pilnīga atbilde", 2: "mazāk nekā 2 pilnīgas atbildes",
            5: "mazāk nekā 5 pilnīgas atbildes", 21: "mazāk nekā 21 pilnīga atbilde",
            0: "mazāk nekā 0 pilnīgu atbilžu"}),
])
def test_staff_warnings_count_the_responses_needed(monkeypatch, language, expected):
    messages = catalog("text", language)
    for count in COUNTS:
        monkeypatch.setattr(statistics, "MIN_RESPONSES", count)
        (text,) = reports.warning_texts(["not_enough_data"], messages.gettext, messages.ngettext)
        assert expected[count] in text, text


def test_studio_labels_each_options_points(staff, pack):
    """'Option a (3 points)' in Russian: 1 балл, 2-3 балла, 0 баллов."""
    block = staff.load(XML.format(attributes=""))
    with translation.override("ru"):
        html = staff.render(block, "studio_view")
    for item in pack.items:
        for option in item.options:
            word = {0: "баллов", 1: "балл", 2: "балла", 3: "балла"}[option.points]
            assert f"Вариант {option.id} ({option.points} {word})" in html


class LmsI18nService:
    """
    edx-platform's ``XBlockI18nService`` (xmodule/modulestore/django.py), as far as the block
    relies on it: ``__getattr__`` hands every name but ``ugettext`` to its translator, a
    ``gettext.GNUTranslations`` of the block's catalogue, so ``ngettext`` is the catalogue's own.
    """

    def __init__(self, translator):
        self.translator = translator

    def __getattr__(self, name):
        name = "gettext" if name == "ugettext" else name
        return getattr(self.translator, name)


@pytest.mark.parametrize("language", ["ru", "lv"])
def test_the_blocks_ngettext_goes_through_the_lms_i18n_service(language):
    service = LmsI18nService(catalog("text", language))
    block = SimpleNamespace(runtime=SimpleNamespace(service=lambda block, name: service if name == "i18n" else None))
    block.i18n_service = lambda: RuntimeServicesMixin.i18n_service(block)
    forms = [RuntimeServicesMixin.ngettext(block, "%(counter)s attempt left", "%(counter)s attempts left", n)
             for n in COUNTS]
    messages = {m.id[0]: m.string for m in plural_messages("text", language)}["%(counter)s attempt left"]
    assert forms == [messages[FORM_OF[language][n]] for n in COUNTS]
