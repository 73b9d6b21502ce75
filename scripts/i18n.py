#!/usr/bin/env python
"""
Extract, compile and check the block's UI translations.

Sources, in the OEP-58 layout (what extraction tools and openedx-translations read):

    competency_xblock/conf/locale/<lang>/LC_MESSAGES/text.po      Python code and Django templates
    competency_xblock/conf/locale/<lang>/LC_MESSAGES/djangojs.po  the block's JavaScript

``compile`` writes, for every language found under conf/locale:

    competency_xblock/conf/locale/<lang>/LC_MESSAGES/{text,djangojs}.mo   beside the sources
    competency_xblock/translations/<lang>/LC_MESSAGES/text.mo             where Open edX reads them
    static/js/translations/<locale>.js                                    the block's own JS catalogue

Open edX's ``XBlockI18nService`` (xmodule/modulestore/django.py) reads an installed block's
catalogue from ``<root module>/translations/<lang>/LC_MESSAGES/`` with the domain ``text``
(unless ``atlas pull`` filled ``conf/plugins-locale/xblock.v1/<root module>/``, which it does
only for blocks in openedx-translations); its JavaScript catalogue URL exists only for
atlas-compiled catalogues, so the block carries its own (``platform/translations.py``).

``en`` is the source catalog (msgids, no msgstrs). The compiled files are committed, so the
package works straight from a wheel; ``check`` fails when a catalog misses a string, a
translation is untranslated or fuzzy, or a compiled file is stale or missing.
Pure Python (Babel, and Django's template lexer for ``{% trans %}``): no GNU gettext needed.

    python scripts/i18n.py extract   # refresh every .po from the sources
    python scripts/i18n.py compile   # .po -> .mo
    python scripts/i18n.py check     # what `make test` runs
"""
from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_python
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "competency_xblock" / "conf" / "locale"
PLATFORM_LOCALE_DIR = ROOT / "competency_xblock" / "translations"  # what XBlockI18nService falls back to
JS_CATALOGUE_DIR = ROOT / "static" / "js" / "translations"
JS_NAMESPACE = "CompetencyXBlockI18N"  # RuntimeServicesMixin.i18n_js_namespace: the platform's catalogue uses it too
SOURCE_LANGUAGE = "en"
PROJECT = "competency-xblock"
HEADER = """\
# {domain} translations of competency-xblock ({language}).
# Refresh with `make i18n-extract`, translate, then `make i18n-compile`; `make test` checks both.
#"""
# N_ and N_plural mark the domain's designer messages (domain/messages.py), translated by the blocks.
KEYWORDS = {**DEFAULT_KEYWORDS, "ugettext": None, "ungettext": (1, 2), "gettext_noop": None,
            "N_": None, "N_plural": (1, 2)}
DOMAINS = {
    # domain: Babel method map over the repository (files no pattern matches are not read)
    "text": [("static/html/**.html", "django"), ("competency_xblock/**.py", "python")],
    "djangojs": [("static/js/**.js", "javascript")],
}


def extract_django_template(fileobj, keywords, comment_tags, options):
    """Babel extractor for Django templates: Django's own templatize turns tags into gettext calls."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.utils.translation.template import templatize  # pylint: disable=import-outside-toplevel
    if not settings.configured:
        settings.configure(USE_I18N=True)
    code = templatize(fileobj.read().decode("utf-8"))
    yield from extract_python(io.BytesIO(code.encode("utf-8")), keywords, comment_tags, options)


def new_catalog(domain: str, language: str) -> Catalog:
    return Catalog(project=PROJECT, domain=domain, locale=language, fuzzy=False, version="0.1",
                   copyright_holder="competency-xblock contributors", msgid_bugs_address="-",
                   header_comment=HEADER.format(domain=domain, language=language),
                   last_translator="competency-xblock contributors", language_team=language)


def template_catalog(domain: str) -> Catalog:
    """Every translatable string of ``domain``, freshly extracted from the package."""
    catalog = new_catalog(domain, SOURCE_LANGUAGE)
    method_map = [(pattern, extract_django_template if method == "django" else method)
                  for pattern, method in DOMAINS[domain]]
    for filename, lineno, message, comments, context in extract_from_dir(
            ROOT, method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def languages() -> list[str]:
    return sorted(path.name for path in LOCALE_DIR.iterdir() if (path / "LC_MESSAGES").is_dir())


def po_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write ``catalog``, unless only its header dates would change (keeps diffs quiet)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
    dates = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*$', re.MULTILINE)
    if path.exists() and dates.sub(b"", path.read_bytes()) == dates.sub(b"", buffer.getvalue()):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def extract() -> None:
    for domain in DOMAINS:
        template = template_catalog(domain)
        write_catalog(po_path(SOURCE_LANGUAGE, domain), template)
        for language in languages():
            if language == SOURCE_LANGUAGE:
                continue
            path = po_path(language, domain)
            catalog = read_catalog(path, language) if path.exists() else new_catalog(domain, language)
            catalog.update(template, no_fuzzy_matching=True)
            write_catalog(path, catalog)
        print(f"{domain}: {len(template)} strings")


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def to_locale(language: str) -> str:
    """``pt-br`` -> ``pt_BR``, as Django's ``to_locale`` names the folders and files the platform looks up."""
    language, _, country = language.lower().partition("-")
    if not country:
        return language
    return f"{language}_{country.upper() if len(country) <= 2 else country.title()}"


def javascript_catalogue(catalog: Catalog, source: str) -> str:
    """
    A script that defines ``window.CompetencyXBlockI18N`` (``gettext``, ``ngettext``) from a djangojs catalog.

    The same global and functions as the platform's compiled catalogue (django-statici18n's
    namespaced catalogue); the plural rule is the catalog's C expression, valid JavaScript as
    Django's own JavaScript catalogue uses it. Defined once: the first catalogue on a page wins.
    """
    messages = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (tuple, list)):
            strings = list(message.string)
            if all(strings):
                messages[message.id[0]] = strings
        elif message.string:
            messages[message.id] = message.string
    data = json.dumps(messages, ensure_ascii=False, sort_keys=True, indent=1)
    return (f"/* The block's JavaScript translations ({catalog.locale}), made by `make i18n-compile` from\n"
            f"   {source}: do not edit. */\n"
            "(function (global) {\n"
            '  "use strict";\n'
            f"  if (global.{JS_NAMESPACE}) {{ return; }}\n"
            f"  const catalog = {data};\n"
            f"  const pluralIndex = (n) => Number({catalog.plural_expr});\n"
            f"  global.{JS_NAMESPACE} = {{\n"
            "    gettext(msgid) {\n"
            "      const value = catalog[msgid];\n"
            '      return typeof value === "string" ? value : Array.isArray(value) ? value[0] : msgid;\n'
            "    },\n"
            "    ngettext(singular, plural, count) {\n"
            "      const value = catalog[singular];\n"
            "      if (Array.isArray(value) && value[pluralIndex(count)] !== undefined) { return value[pluralIndex(count)]; }\n"
            "      return count === 1 ? singular : plural;\n"
            "    },\n"
            "  };\n"
            "}(window));\n")


def compiled_outputs(language: str) -> dict[Path, bytes]:
    """Every file ``compile`` writes for ``language``, with its content."""
    outputs = {}
    for domain in DOMAINS:
        path = po_path(language, domain)
        if not path.exists():
            continue
        catalog = read_catalog(path, language)
        outputs[path.with_suffix(".mo")] = compiled(catalog)
        if domain == "text":
            outputs[PLATFORM_LOCALE_DIR / language / "LC_MESSAGES" / "text.mo"] = compiled(catalog)
        else:
            source = path.relative_to(ROOT).as_posix()
            outputs[JS_CATALOGUE_DIR / f"{to_locale(language)}.js"] = javascript_catalogue(catalog, source).encode()
    return outputs


def compile_all() -> None:
    for language in languages():
        for path, content in compiled_outputs(language).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            print(f"compiled {path.relative_to(ROOT)}")


def problems() -> list[str]:
    """What is missing, untranslated or stale, one line each."""
    found = []
    for domain in DOMAINS:
        wanted = {message.id if isinstance(message.id, str) else message.id[0]
                  for message in template_catalog(domain) if message.id}
        for language in languages():
            path = po_path(language, domain)
            if not path.exists():
                found.append(f"{path}: missing (run `make i18n-extract`)")
                continue
            catalog = read_catalog(path, language)
            have = {message.id if isinstance(message.id, str) else message.id[0]: message
                    for message in catalog if message.id}
            for msgid in sorted(wanted - set(have)):
                found.append(f"{path}: not extracted yet (run `make i18n-extract`): {msgid!r}")
            if language != SOURCE_LANGUAGE:
                for msgid in sorted(wanted & set(have)):
                    message = have[msgid]
                    strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
                    if message.fuzzy or not all(strings):
                        found.append(f"{path}: untranslated or fuzzy: {msgid!r}")
                    elif message.pluralizable and len(strings) != catalog.num_plurals:
                        found.append(f"{path}: {len(strings)} plural forms, {language} needs {catalog.num_plurals}: {msgid!r}")
            mo_path = path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.read_bytes() != compiled(catalog):
                with mo_path.open("rb") if mo_path.exists() else io.BytesIO(b"") as handle:
                    stale = not mo_path.exists() or _translations(read_mo(handle)) != _translations(catalog)
                if stale:
                    found.append(f"{mo_path}: out of date (run `make i18n-compile`)")
    for language in languages():
        found += _same_in_both_domains(language)
        for path, content in compiled_outputs(language).items():
            if path.suffix == ".mo" and path.parent.parent.parent == LOCALE_DIR:
                continue  # checked above, by content (Babel may order a .mo differently)
            if not path.exists() or path.read_bytes() != content:
                found.append(f"{path}: missing or out of date (run `make i18n-compile`)")
    return found


def _same_in_both_domains(language: str) -> list[str]:
    """A string the templates and the JavaScript both show (a button the script relabels) reads alike in both."""
    paths = [po_path(language, domain) for domain in DOMAINS]
    if language == SOURCE_LANGUAGE or not all(path.exists() for path in paths):
        return []
    text, script = ({message.id: message.string for message in read_catalog(path, language) if message.id}
                    for path in paths)
    return [f"{paths[1]}: {msgid!r} is translated {script[msgid]!r} here but {text[msgid]!r} in {paths[0].name}"
            for msgid in sorted(set(text) & set(script), key=str) if text[msgid] != script[msgid]]


def _translations(catalog: Catalog) -> dict:
    def plain(value):  # a plural's id and strings read from a .mo come as lists; from a .po, as tuples
        return tuple(value) if isinstance(value, (list, tuple)) else value
    return {plain(message.id): plain(message.string) for message in catalog if message.id and not message.fuzzy}


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print(f"{len(found)} translation problem(s); see above.", file=sys.stderr)
            return 1
        print(f"translations complete: {', '.join(languages())}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv))
