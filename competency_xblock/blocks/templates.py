"""
The package's Django templates, compiled once per process, rendered in the block's language.

``xblock.utils``' ``ResourceLoader.render_django_template`` reads and compiles the template
on every call, and its ``{% trans %}`` builds a new Django translation and merges the
block's catalog into Django's process-wide one at every tag: about a third of a page render
(benchmarks/README.md). Its tags cannot simply be kept compiled: each merge prepends another
copy of the catalog to the translation the tag keeps. :func:`render` does the same job with

- each template read and compiled once per process (an edited template needs a restart);
- Django's own ``i18n`` tags, and the block's catalog (the ``i18n`` service's, merged over
  Django's as ``ResourceLoader`` merges it) active during the render only and in this
  thread only (``trans_real._active``, the thread-local that ``translation.activate``
  sets); the merged translation is built once per language, and Django's process-wide
  translations are never changed;
- autoescaping on.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager

from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries
from django.utils import translation
from django.utils.translation import trans_real

from .. import package_data


@functools.cache
def _engine() -> Engine:
    # {% include "studio_lesson.html" %} and the like name templates in static/html/.
    partials = str(package_data.data_path("static/html"))
    libraries = {**get_installed_libraries(), "competency_charts": "competency_xblock.blocks.chart_tags"}
    return Engine(dirs=[partials], libraries=libraries, autoescape=True)


@functools.cache
def compiled(template_path: str) -> Template:
    """The package's template at ``template_path`` (e.g. "static/html/result.html"), compiled."""
    source = package_data.read_text(template_path)
    return Template(source, engine=_engine())


# language -> (the block's catalog, Django's translation with it merged over); rebuilt when the catalog changes
_merged: dict[str, tuple[object, trans_real.DjangoTranslation]] = {}


def _merged_translation(language: str, i18n_service) -> trans_real.DjangoTranslation | None:
    """Django's translation for ``language`` with the block's catalog over it; None without a catalog."""
    block_catalog = getattr(i18n_service, "_catalog", None)
    if not block_catalog:
        return None  # the service is Django's own translation (no block catalog for the language)
    cached = _merged.get(language)
    if cached is None or cached[0] is not block_catalog:
        merged = trans_real.DjangoTranslation(language)
        merged.merge(i18n_service)
        cached = _merged[language] = (block_catalog, merged)
    return cached[1]


@contextmanager
def _block_translation(i18n_service):
    language = translation.get_language()
    merged = _merged_translation(language, i18n_service) if language and i18n_service else None
    if merged is None:
        yield
        return
    had_active, previous = hasattr(trans_real._active, "value"), getattr(trans_real._active, "value", None)
    trans_real._active.value = merged
    try:
        yield
    finally:
        if had_active:
            trans_real._active.value = previous
        else:
            del trans_real._active.value


def render(template_path: str, context: dict, i18n_service=None) -> str:
    """Render the package's template ``template_path`` with ``context``, its UI strings in the block's catalog."""
    with _block_translation(i18n_service):
        return compiled(template_path).render(Context(context))
