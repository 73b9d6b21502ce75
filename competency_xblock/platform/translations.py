"""
The block's own translations, where Open edX looks for them.

Open edX's ``XBlockI18nService`` (xmodule/modulestore/django.py) reads a third-party
block's catalogue from ``<root module>/translations/<lang>/LC_MESSAGES/text.mo`` (unless
``atlas pull`` brought one into ``conf/plugins-locale/xblock.v1/<root module>/``), and
offers a JavaScript catalogue URL only for atlas-compiled catalogues. ``make i18n-compile``
writes both of the block's own: the ``text.mo`` files below ``competency_xblock/translations``
and one script per language in ``static/js/translations/<locale>.js``.

Two fallbacks keep a learner's language when a runtime's service finds nothing:

- ``python_translation``: the block's ``text.mo`` for the active language, for a runtime
  whose i18n service holds no catalogue of the block (the workbench's own service, a
  runtime that never looked in the package). The LMS may be one: at edx-platform commit
  16397a1c the service names the package folder ``str(importlib.resources.path(module,
  "translations"))``, which on Python 3.12 is the text of a context manager, not a path,
  so ``gettext`` finds nothing there and the service falls back to Django's translations
  (tests/platform/test_translations.py holds both cases);
- ``javascript_catalogue``: the block's script for the active language, added to a view
  when the service gives no catalogue URL (every installation without atlas).
"""
from __future__ import annotations

import functools
import gettext
from importlib import resources
from pathlib import Path

from django.utils import translation

from .. import package_data

TEXT_DOMAIN = "text"  # the domain XBlockI18nService reads from <module>/translations
ROOT_MODULE = __name__.split(".", maxsplit=1)[0]  # what get_xblock_root_module_name gives for both blocks


def package_locale_dir() -> Path:
    """``<root module>/translations``: where the platform looks for the block's own catalogues."""
    return Path(str(resources.files(ROOT_MODULE) / "translations"))


def has_block_catalogue(i18n_service) -> bool:
    """Whether the runtime's i18n service translates with a catalogue (a GNU translation), not Django's own."""
    translator = getattr(i18n_service, "translator", i18n_service)
    return isinstance(translator, gettext.GNUTranslations)


@functools.cache
def _python_translation(locale: str) -> gettext.GNUTranslations | None:
    try:
        return gettext.translation(TEXT_DOMAIN, str(package_locale_dir()), [locale])
    except OSError:
        return None


def python_translation(language: str | None = None) -> gettext.GNUTranslations | None:
    """The block's ``text`` catalogue for ``language`` (default: the active one), or None without one."""
    language = language or translation.get_language()
    return _python_translation(translation.to_locale(language)) if language else None


@functools.cache
def _javascript_catalogue(locale: str) -> str | None:
    for name in dict.fromkeys([locale, locale.split("_")[0]]):  # pt_BR, then pt
        path = package_data.data_path(f"static/js/translations/{name}.js")
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def javascript_catalogue(language: str | None = None) -> str | None:
    """The block's JavaScript catalogue script for ``language`` (default: the active one), or None."""
    language = language or translation.get_language()
    return _javascript_catalogue(translation.to_locale(language)) if language else None
