"""The customer-service pack in all four languages, and the validator's language check over them."""
from __future__ import annotations

import re

import pytest
import yaml

from competency_xblock.domain.pack_loader import CONTENT_DIR, PackError, parse_pack

PACK_FILE = CONTENT_DIR / "customer_service.yaml"
TEXT = PACK_FILE.read_text(encoding="utf-8")
LANGUAGES = ["pl", "en", "ru", "lv"]


def localized_texts(node, path=()):
    """Every {language: text} mapping of the pack, with where it is."""
    if isinstance(node, dict):
        if set(node) & set(LANGUAGES) and set(node) <= set(LANGUAGES):
            yield path, node
            return
        for key, value in node.items():
            yield from localized_texts(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from localized_texts(value, path + (index,))


def test_the_pack_speaks_four_languages_in_every_text():
    data = yaml.safe_load(TEXT)
    assert data["languages"] == LANGUAGES
    texts = list(localized_texts(data))
    assert len(texts) > 150
    for path, text in texts:
        assert sorted(text) == sorted(LANGUAGES), path
        for language in LANGUAGES:
            value = text[language]
            assert value and (all(str(v).strip() for v in value) if isinstance(value, list) else value.strip()), \
                (path, language)
        # Written for each language, not copied: a Russian or Latvian text is not the English one
        # (brand names in link titles aside).
        if path[0] != "links":
            assert text["ru"] != text["en"] and text["lv"] != text["en"], path


def test_russian_is_cyrillic_and_latvian_uses_its_letters():
    data = yaml.safe_load(TEXT)
    russian = " ".join(str(text["ru"]) for _, text in localized_texts(data))
    latvian = " ".join(str(text["lv"]) for _, text in localized_texts(data))
    assert len(re.findall(r"[а-яё]", russian, re.I)) > 0.8 * len(re.findall(r"[a-zа-яё]", russian, re.I))
    assert re.search(r"[āēīūčšžģķļņ]", latvian) and not re.search(r"[а-яё]", latvian, re.I)


@pytest.mark.parametrize("language", ["ru", "lv"])
def test_a_missing_text_in_a_new_language_is_refused_with_its_line(language):
    lines = TEXT.splitlines()
    index = next(i for i, line in enumerate(lines) if re.match(rf"\s+{language}: \"", line)
                 and "behaviour" in lines[i - 4] + lines[i - 3] + lines[i - 2] + lines[i - 1])
    broken = "\n".join(lines[:index] + lines[index + 1:])
    with pytest.raises(PackError) as caught:
        parse_pack(broken, "cs.yaml")
    messages = [str(issue) for issue in caught.value.issues]
    assert any(f"missing the '{language}' text" in message and message.startswith("cs.yaml:")
               for message in messages), messages


def test_an_undeclared_language_is_refused():
    broken = TEXT.replace("languages: [pl, en, ru, lv]", "languages: [pl, en, ru]")
    with pytest.raises(PackError) as caught:
        parse_pack(broken, "cs.yaml")
    assert any("language 'lv' is not among the pack's languages" in str(issue) for issue in caught.value.issues)


def test_managers_tips_missing_a_language_are_refused_with_their_line():
    lines = TEXT.splitlines()
    start = lines.index("manager_tips:")
    index = next(i for i in range(start, len(lines)) if lines[i] == "    lv:")  # the first dimension's Latvian tips
    broken = "\n".join(lines[:index] + lines[index + 3:])  # "lv:" and its two tips
    with pytest.raises(PackError) as caught:
        parse_pack(broken, "cs.yaml")
    dimension = lines[start + 1].strip().rstrip(":")
    assert any(f"manager_tips.{dimension}: missing the 'lv' text" in str(issue) for issue in caught.value.issues), \
        [str(issue) for issue in caught.value.issues]
