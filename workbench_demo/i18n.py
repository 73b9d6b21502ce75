"""
The demo's i18n service: it finds a block's catalogue exactly where Open edX's does.

Open edX's ``XBlockI18nService`` (xmodule/modulestore/django.py) is built per block (the
runtime passes the block to a callable service: xmodule/x_module.py) and reads, for the
block's root module (``get_xblock_root_module_name``, xmodule/modulestore/api.py):

1. ``conf/plugins-locale/xblock.v1/<module>/``, domain ``django``, when ``atlas pull`` made
   that folder (here: ``settings.COMPETENCY_DEMO_PLUGINS_LOCALE_ROOT / <module>``);
2. else ``<module>/translations/``, domain ``text``, inside the installed package;

for the active language, and falls back to Django's own translations when neither has a
catalogue. Its JavaScript catalogue URL exists only for an atlas-compiled
``js/xblock.v1-i18n/<module>/<locale>.js``. A catalogue anywhere else (the OEP-58 source
folder ``conf/locale``, say) is not found here, as it is not found in Open edX.
"""
from __future__ import annotations

import functools
import gettext
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils import translation


def root_module_name(block) -> str:
    """The top-level package of the block's own class (mixins hide it: ``unmixed_class``)."""
    return getattr(block, "unmixed_class", block.__class__).__module__.split(".")[0]


@functools.cache
def _translation(domain: str, locale_dir: str, locale: str) -> gettext.GNUTranslations:
    """
    A catalogue, looked up once per process: gettext.translation searches the disk and
    copies the catalogue on every call, and a template asks at every {% trans %}.
    Raises OSError when there is none.
    """
    return gettext.translation(domain, locale_dir, [locale])


class DemoI18nService:
    """``gettext`` and friends for one block, from the catalogue Open edX would read."""

    def __init__(self, block=None):
        self.translator = translation
        if block is not None:
            domain, locale_dir = self.get_python_locale(block)
            language = translation.get_language() or settings.LANGUAGE_CODE
            try:
                self.translator = _translation(domain, str(locale_dir), translation.to_locale(language))
            except OSError:
                pass  # Django's own translations, as the platform falls back

    @staticmethod
    def get_python_locale(block) -> tuple[str, Path]:
        """(domain, folder) of the block's catalogues: the atlas folder if there is one, else the package's."""
        module = root_module_name(block)
        atlas_folder = Path(settings.COMPETENCY_DEMO_PLUGINS_LOCALE_ROOT) / module
        if atlas_folder.is_dir():
            return "django", atlas_folder
        return "text", Path(str(resources.files(module) / "translations"))

    @staticmethod
    def get_javascript_i18n_catalog_url(block) -> str | None:
        """The URL of an atlas-compiled JavaScript catalogue for the active language; None without one."""
        relative = f"js/xblock.v1-i18n/{root_module_name(block)}/{translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)}.js"
        if (Path(settings.COMPETENCY_DEMO_STATICI18N_ROOT) / relative).is_file():
            return staticfiles_storage.url(relative)
        return None

    def __getattr__(self, name):
        name = "gettext" if name == "ugettext" else name
        return getattr(self.translator, name)

    @staticmethod
    def strftime(value, format_string):
        return value.strftime(format_string)


class DemoI18nServices:
    """
    The ``i18n`` entry of the demo's services: called with a block, it gives that block's
    service, as the LMS's runtime calls ``XBlockI18nService`` (see ``apps.py``).
    """

    runtime = None  # set by the workbench when it loads the service

    def __call__(self, block) -> DemoI18nService:
        return DemoI18nService(block)
