"""
Messages the domain gives a course designer, kept translatable without Django.

The domain cannot translate (it knows no language and imports no Django), so a message it
returns keeps its English template and its parameters; the blocks translate it with the
block's own catalogue (:func:`translate`). The message *is* its English text too (a
``str``), so the command line, logs and ``"; ".join(...)`` keep working unchanged.

Templates are marked with :func:`N_` (one form) or :func:`N_plural` (a counted sentence);
``scripts/i18n.py`` extracts both as keywords. Templates use ``str.format`` fields, as the
rest of the block's catalogue does. A parameter may itself be a message (a place such as
"link 2" inside "link 2: needs a title"); it is translated first. A template not marked
(such as ``"{where}.{key}"``) is punctuation only and shown as it is in every language.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def N_(template: str) -> str:  # pylint: disable=invalid-name
    """Mark ``template`` for extraction; the blocks translate it when they show it."""
    return template


class Plural(NamedTuple):
    singular: str
    plural: str


def N_plural(singular: str, plural: str) -> Plural:  # pylint: disable=invalid-name
    """Mark a counted sentence (both English forms) for extraction as an ngettext entry."""
    return Plural(singular, plural)


def _english_ngettext(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _identity(text: str) -> str:
    return text


class Message(str):
    """
    An English message that remembers how it was made: ``template`` (or a :class:`Plural`
    with its ``count``) and ``params``: ``Message(N_("at most {limit} links"), limit=50)``,
    ``Message(N_plural("{count} question", "{count} questions"), 3)``.
    """

    template: str | Plural
    count: int | None
    params: dict

    def __new__(cls, template: str | Plural, count: int | None = None, /, **params):
        # ``count`` (positional: a Plural's number, also its ``{count}``) never swallows a ``count=`` parameter
        message = super().__new__(cls, _render(template, count, params, _identity, _english_ngettext))
        message.template, message.count, message.params = template, count, params
        return message

    def __getnewargs_ex__(self):
        # pickle and copy rebuild a str subclass from its text, which here would be formatted again
        # (and fail on a "{" in it, such as a mapping's repr): rebuild it from what made it instead.
        return (self.template, self.count), self.params


def _render(template, count, params: dict, gettext: Gettext, ngettext: Ngettext) -> str:
    values = {name: translate(value, gettext, ngettext) if isinstance(value, Message) else value
              for name, value in params.items()}
    if isinstance(template, Plural):
        text = ngettext(template.singular, template.plural, count)
        values.setdefault("count", count)
    else:
        text = gettext(template)
    return text.format(**values)


def translate(message: str, gettext: Gettext, ngettext: Ngettext) -> str:
    """``message`` in the language of ``gettext``/``ngettext``; a plain ``str`` is shown as it is."""
    if not isinstance(message, Message):
        return message
    try:
        return _render(message.template, message.count, message.params, gettext, ngettext)
    except (KeyError, IndexError, ValueError):
        # A translation whose fields do not match the template must not break Studio: show English.
        return str(message)
