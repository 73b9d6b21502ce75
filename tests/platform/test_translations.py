"""
Contract: where Open edX finds the block's translations, and in which domain.

Platform: openedx/edx-platform, xmodule/modulestore/django.py (``XBlockI18nService``, read at
commit 16397a1c), xmodule/modulestore/api.py (``get_xblock_root_module_name``,
``get_python_locale_root``, ``get_javascript_i18n_file_name``) and
common/djangoapps/xblock_django/translation.py (``compile_xblock_js_messages``); master of
the Ulmo cycle. What the code does:

- the service is built per block (xmodule/x_module.py passes the block to a callable service);
- the module looked up is the top-level package of the block's unmixed class;
- first ``<REPO_ROOT>/conf/plugins-locale/xblock.v1/<module>/`` with the domain ``django``
  when that folder exists (``atlas pull`` fills it only for blocks in openedx-translations);
- else ``<module>/translations/`` inside the installed package with the domain ``text``;
- ``gettext.translation(domain, folder, [to_locale(language)])``, Django's translations when
  that raises OSError;
- ``get_javascript_i18n_catalog_url`` is a URL only when
  ``STATICI18N_ROOT/js/xblock.v1-i18n/<module>/<locale>.js`` exists (atlas-compiled), else None.
"""
from __future__ import annotations

import gettext
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

import competency_xblock
from competency_xblock.platform import translations
from workbench_demo.i18n import DemoI18nService

LOCALE_SOURCES = Path(competency_xblock.__file__).parent / "conf" / "locale"


def platform_python_locale(block, atlas_root: Path) -> tuple[str, Path]:
    """(domain, folder) as XBlockI18nService.get_python_locale finds them."""
    module = getattr(block, "unmixed_class", block.__class__).__module__.split(".")[0]
    if (atlas_root / module).is_dir():
        return "django", atlas_root / module
    return "text", Path(str(resources.files(module) / "translations"))


def platform_translator(block, atlas_root: Path, language: str):
    domain, folder = platform_python_locale(block, atlas_root)
    try:
        return gettext.translation(domain, str(folder), [translation.to_locale(language)])
    except OSError:
        return None  # the platform then uses Django's own translations


def languages() -> list[str]:
    """Every language with sources, whoever added it (ru and lv are on their way)."""
    return sorted(path.name for path in LOCALE_SOURCES.iterdir() if (path / "LC_MESSAGES" / "text.po").is_file())


def translated_strings(language: str, domain: str) -> dict[str, str]:
    with (LOCALE_SOURCES / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return {message.id: message.string for message in read_po(handle, locale=language)
                if isinstance(message.id, str) and message.id and message.string and not message.fuzzy}


@pytest.fixture
def blocks(learner, assessment_xml):
    assessment = learner.load(assessment_xml)
    gate = learner.load('<competency_gate levels="[3]"/>')
    return assessment, gate


@pytest.mark.parametrize("language", [language for language in languages() if language != "en"])
def test_the_platform_finds_every_catalogue_in_the_package(blocks, tmp_path, language):
    strings = translated_strings(language, "text")
    assert strings, f"{language}: nothing translated"
    for block in blocks:
        domain, folder = platform_python_locale(block, tmp_path / "no-atlas")
        assert domain == "text" and folder == Path(competency_xblock.__file__).parent / "translations"
        catalogue = platform_translator(block, tmp_path / "no-atlas", language)
        assert catalogue is not None, f"{language}: no text.mo where the platform looks"
        assert all(catalogue.gettext(msgid) == msgstr for msgid, msgstr in strings.items())


def test_an_atlas_folder_takes_precedence_with_the_django_domain(blocks, tmp_path, settings):
    atlas = tmp_path / "plugins-locale" / "xblock.v1"
    (atlas / "competency_xblock" / "pl" / "LC_MESSAGES").mkdir(parents=True)
    settings.COMPETENCY_DEMO_PLUGINS_LOCALE_ROOT = str(atlas)
    for block in blocks:
        assert platform_python_locale(block, atlas) == ("django", atlas / "competency_xblock")
        assert DemoI18nService.get_python_locale(block) == platform_python_locale(block, atlas)


def test_the_demo_service_looks_where_the_platform_looks(blocks, settings, tmp_path):
    settings.COMPETENCY_DEMO_PLUGINS_LOCALE_ROOT = str(tmp_path / "no-atlas")
    for block in blocks:
        assert DemoI18nService.get_python_locale(block) == platform_python_locale(block, tmp_path / "no-atlas")
    with translation.override("pl"):
        service = DemoI18nService(blocks[0])
        assert service.gettext("Submit answers") == translated_strings("pl", "text")["Submit answers"]


def test_a_catalogue_in_the_source_folder_only_is_not_found(tmp_path, monkeypatch, settings):
    """A package shipping text.mo only in conf/locale (this block's old layout) stays English, as in Open edX."""
    package = tmp_path / "misplaced_block"
    (package / "conf" / "locale" / "pl" / "LC_MESSAGES").mkdir(parents=True)
    (package / "conf" / "locale" / "pl" / "LC_MESSAGES" / "text.mo").write_bytes(
        (LOCALE_SOURCES / "pl" / "LC_MESSAGES" / "text.mo").read_bytes())
    (package / "__init__.py").write_text(textwrap.dedent("""
        class MisplacedBlock:
            pass
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.COMPETENCY_DEMO_PLUGINS_LOCALE_ROOT = str(tmp_path / "no-atlas")
    from misplaced_block import MisplacedBlock  # pylint: disable=import-outside-toplevel,import-error
    block = MisplacedBlock()
    with translation.override("pl"):
        assert platform_translator(block, tmp_path / "no-atlas", "pl") is None
        assert DemoI18nService(block).gettext("Submit answers") == "Submit answers"
    sys.modules.pop("misplaced_block", None)


def test_without_an_atlas_catalogue_the_block_serves_its_own_javascript(learner, assessment_xml, settings, tmp_path):
    settings.COMPETENCY_DEMO_STATICI18N_ROOT = str(tmp_path / "no-statici18n")
    block = learner.load(assessment_xml)
    polish = translated_strings("pl", "djangojs")["Something went wrong. Please try again."]
    with translation.override("pl"):
        assert DemoI18nService.get_javascript_i18n_catalog_url(block) is None
        fragment = learner.runtime.render(block, "student_view")
    scripts = [resource.data for resource in fragment.resources if resource.kind == "text" and resource.mimetype == "application/javascript"]
    catalogue = next(script for script in scripts if "CompetencyXBlockI18N = {" in script)
    assert polish in catalogue
    assert scripts.index(catalogue) < next(i for i, script in enumerate(scripts) if "function CompetencyAssessment" in script)


def test_with_an_atlas_catalogue_the_block_uses_the_platforms_url(learner, assessment_xml, settings, tmp_path):
    compiled = tmp_path / "statici18n" / "js" / "xblock.v1-i18n" / "competency_xblock" / "pl.js"
    compiled.parent.mkdir(parents=True)
    compiled.write_text("window.CompetencyXBlockI18N = {gettext: (text) => text};")
    settings.COMPETENCY_DEMO_STATICI18N_ROOT = str(tmp_path / "statici18n")
    block = learner.load(assessment_xml)
    with translation.override("pl"):
        fragment = learner.runtime.render(block, "student_view")
    urls = [resource.data for resource in fragment.resources if resource.kind == "url"]
    assert any(url.endswith("js/xblock.v1-i18n/competency_xblock/pl.js") for url in urls)
    assert not any("CompetencyXBlockI18N = {" in resource.data for resource in fragment.resources
                   if resource.kind == "text")


def test_under_a_service_without_the_blocks_catalogue_the_block_reads_its_own(learner, assessment_xml, monkeypatch):
    """A runtime whose i18n service is Django's alone (the SDK's own) still gets the block's Polish."""
    block = learner.load(assessment_xml)
    monkeypatch.setattr(learner.runtime, "service",
                        lambda block_, name: translation if name == "i18n" else type(learner.runtime).service(
                            learner.runtime, block_, name))
    with translation.override("pl"):
        assert block.ugettext("Submit answers") == translated_strings("pl", "text")["Submit answers"]
        assert translations.has_block_catalogue(block.i18n_service())


def service_as_at_16397a1(block, language: str):
    """
    The translator XBlockI18nService(block) ends with at commit 16397a1c, folder expression and all:
    ``str(importlib.resources.path(module, 'translations'))`` (no atlas folder here).
    """
    module = getattr(block, "unmixed_class", block.__class__).__module__.split(".")[0]
    folder = str(resources.path(module, "translations"))  # pylint: disable=deprecated-method
    try:
        return gettext.translation("text", folder, [translation.to_locale(language)])
    except OSError:
        return translation


def test_even_where_the_platform_misses_the_package_folder_the_learner_gets_polish(learner, assessment_xml,
                                                                                  monkeypatch):
    block = learner.load(assessment_xml)
    with translation.override("pl"):
        platform_service = service_as_at_16397a1(block, "pl")
        if platform_service is translation:  # Python 3.12: the folder's name is a context manager's repr
            assert not Path(str(resources.path("competency_xblock", "translations"))).is_dir()
        plain = type(learner.runtime).service
        monkeypatch.setattr(learner.runtime, "service", lambda block_, name: (
            service_as_at_16397a1(block_, "pl") if name == "i18n" else plain(learner.runtime, block_, name)))
        assert block.ugettext("Submit answers") == translated_strings("pl", "text")["Submit answers"]
        assert translated_strings("pl", "text")["Submit answers"] in learner.render(block)


def polish_plural_forms(singular: str) -> tuple[str, ...]:
    with (LOCALE_SOURCES / "pl" / "LC_MESSAGES" / "text.po").open("rb") as handle:
        return next(message.string for message in read_po(handle, locale="pl") if message.id and
                    isinstance(message.id, tuple) and message.id[0] == singular)


def test_counted_strings_too_come_from_the_blocks_catalogue_and_follow_the_language(learner, assessment_xml,
                                                                                     monkeypatch):
    """Under the 16397a1c service (no catalogue of the block), ``ngettext`` is the block's Polish, then English."""
    block = learner.load(assessment_xml)
    plain = type(learner.runtime).service
    monkeypatch.setattr(learner.runtime, "service", lambda block_, name: (
        service_as_at_16397a1(block_, translation.get_language()) if name == "i18n"
        else plain(learner.runtime, block_, name)))
    singular = "Please answer every question before submitting ({count} question left)."
    plural = "Please answer every question before submitting ({count} questions left)."
    forms = polish_plural_forms(singular)  # Polish: one, few (2-4), many (5+)
    with translation.override("pl"):
        assert [block.ngettext(singular, plural, n) for n in (1, 3, 5)] == [forms[0], forms[1], forms[2]]
    with translation.override("en"):  # the block keeps its service per language, never across a switch
        assert [block.ngettext(singular, plural, n) for n in (1, 3)] == [singular, plural]
