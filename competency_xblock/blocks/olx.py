"""
OLX for the assessment: every setting survives export and import, in a form people can read.

XBlock's default writes each field as an attribute, a Dict or List as indented JSON
with ``\\uXXXX`` escapes; that is lossless but unreadable (``&#10;``, ``&quot;``).
Here scalars stay attributes, short lists are compact JSON attributes, and the
structured settings become child elements holding pretty JSON with the texts as
written::

    <competency_assessment pack_id="customer_service" cut_scores="[45, 75]" max_attempts="2">
      <follow_up_lessons>{"1": [{"title": "Podstawy obsługi", "url": "/jump_to_id/basics"}]}</follow_up_lessons>
      <extra_links>[...]</extra_links>
      <item_overrides>{...}</item_overrides>
    </competency_assessment>

The course's own pack (``course_pack``, YAML) is a child element holding its text as
written. Import also takes these fields as JSON attributes (XBlock's default form). A value of
the wrong type (``max_attempts="many"``, broken JSON) or a course pack that is not valid
stops the import with an :class:`OlxError` naming the block, the field and the problem; a value of the right
type but not allowed (C1 >= C2, an unknown pack, a ``javascript:`` link) imports,
and ``validate()`` reports it.
"""
from __future__ import annotations

import json
import math
from copy import deepcopy

from lxml import etree
from xblock.fields import Dict, Float, Integer, List, Scope, String

CHILD_ELEMENT_FIELDS = ("follow_up_lessons", "dimension_follow_ups", "extra_links", "item_overrides", "course_pack")


class OlxError(ValueError):
    """OLX that cannot be imported; the message names the block, the field and the problem."""


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def parse_value(field, text: str, where: str):
    """``text`` (an attribute or element text) as a value of ``field``; raises OlxError."""
    if isinstance(field, String):
        return text
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise OlxError(f"{where}: {text[:80]!r} is not valid JSON ({error})") from None
    if isinstance(field, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise OlxError(f"{where}: {text[:80]!r} is not a whole number")
    elif isinstance(field, Float):
        if value is None and field.default is None:
            return None
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise OlxError(f"{where}: {text[:80]!r} is not a number")
        value = float(value)
    elif isinstance(field, Dict) and not isinstance(value, dict):
        raise OlxError(f"{where}: must be a JSON object {{...}}")
    elif isinstance(field, List) and not isinstance(value, list):
        raise OlxError(f"{where}: must be a JSON list [...]")
    return value


class OlxMixin:
    """parse_xml / add_xml_to_node for a block whose settings are scalars, lists and dicts."""

    @classmethod
    def _olx_fields(cls) -> dict:
        return {name: field for name, field in cls.fields.items()
                if field.scope in (Scope.settings, Scope.content) and name not in ("parent", "children")}

    @classmethod
    def check_imported_value(cls, name: str, value, where: str) -> None:
        """Refuse a value no block may hold (raise OlxError naming ``where``); the block class decides."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        node = deepcopy(node)   # the caller's tree stays as it was
        fields = cls._olx_fields()
        block_name = f'<{node.tag} url_name="{node.get("url_name")}">' if node.get("url_name") else f"<{node.tag}>"
        values = {}
        for child in list(node):
            if isinstance(child.tag, str) and child.tag in CHILD_ELEMENT_FIELDS:
                where = f"{block_name} element <{child.tag}>"
                values[child.tag] = parse_value(fields[child.tag], child.text or "", where)
                cls.check_imported_value(child.tag, values[child.tag], where)
                node.remove(child)
        for name, text in list(node.attrib.items()):
            if name in fields:
                where = f"{block_name} attribute {name}"
                values[name] = parse_value(fields[name], text, where)
                cls.check_imported_value(name, values[name], where)
                del node.attrib[name]
        block = super().parse_xml(node, runtime, keys)
        for name, value in values.items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node):
        super().add_xml_to_node(node)
        for name, field in self._olx_fields().items():
            if name not in node.attrib or not isinstance(field, (Dict, List)):
                continue
            value = field.read_from(self)
            if name in CHILD_ELEMENT_FIELDS:
                del node.attrib[name]
                etree.SubElement(node, name).text = _pretty(value)
            else:
                node.set(name, _compact(value))
        for name in CHILD_ELEMENT_FIELDS:   # a text kept as written, not an attribute of one long line
            field = self.fields.get(name)
            if isinstance(field, String) and name in node.attrib:
                del node.attrib[name]
                etree.SubElement(node, name).text = field.read_from(self)
