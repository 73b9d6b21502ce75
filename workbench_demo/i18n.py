"""A workbench i18n service that finds the block's own catalogs, as Open edX's XBlockI18nService does."""
import functools
import gettext
from pathlib import Path

from django.conf import settings
from django.utils import translation

import competency_xblock

LOCALE_DIR = Path(competency_xblock.__file__).parent / "conf" / "locale"
DOMAIN = "text"


@functools.cache
def _translator(language):
    """
    The block's catalog for ``language``, looked up once per process: gettext.translation
    searches the disk and copies the catalog on every call, and a template asks for it at
    every {% trans %} (benchmarks/README.md).
    """
    try:
        return gettext.translation(DOMAIN, str(LOCALE_DIR), [translation.to_locale(language)])
    except OSError:
        return translation


class DemoI18nService:
    """
    ``gettext`` and friends from ``conf/locale/<lang>/LC_MESSAGES/text.mo`` in the request's language.

    The workbench's own service is plain ``django.utils.translation``, which only reads
    Django's ``django`` domain. Like the LMS's service, this one falls back to Django's
    translations when the block has no catalog for the language. It is built once per
    workbench runtime, so the language is read at call time, not at construction.
    """

    runtime = None

    @property
    def translator(self):
        return _translator(translation.get_language() or settings.LANGUAGE_CODE)

    def __getattr__(self, name):
        name = "gettext" if name == "ugettext" else name
        return getattr(self.translator, name)

    @staticmethod
    def strftime(value, format_string):
        return value.strftime(format_string)

    @staticmethod
    def get_javascript_i18n_catalog_url(block):  # pylint: disable=unused-argument
        """None: the workbench page already loads Django's /jsi18n/, which reads the block's djangojs.mo."""
        return None
