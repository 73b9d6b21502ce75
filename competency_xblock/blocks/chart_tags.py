"""
``{% bar_chart %}``: a horizontal bar chart, its geometry from ``domain.charts.bar_chart``, as inline SVG.

    {% load competency_charts %}
    {% bar_chart chart "ca-chart" "ca-chart-title" chart_title 37 level_class="ca-growth-" %}

The arguments: the geometry, the CSS class (and the prefix of its parts' classes: ``-label``,
``-track``, ``-bar``, ``-value``), the id of the ``<title>``, the title, the most characters a
label line keeps (a longer one is cut and ends in "…", as Django's ``truncatechars`` cuts it)
and, optionally, a class prefix each bar gets with its row's ``key``.

Written in Python rather than as an included template: a chart is a few dozen elements with a
handful of numbers each, and Django's variable lookups made it nearly half of what rendering a
result page cost (benchmarks/README.md). Every text and class is escaped. Numbers are written as
Python writes them, never localised: a Polish decimal comma would break the coordinates.
"""
from __future__ import annotations

import unicodedata
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ELLIPSIS = "…"


def cut(text: str, chars: int) -> str:
    """
    ``text`` cut to ``chars`` characters, the last of them "…", as Django's ``Truncator.chars`` cuts
    it: the text in NFC, and combining marks (Hindi vowel signs, Hebrew points) not counted.
    """
    if chars <= 0:
        return ""
    text = unicodedata.normalize("NFC", text)
    counted, end = 0, None
    for index, character in enumerate(text):
        if unicodedata.combining(character):
            continue
        counted += 1
        if end is None and counted > chars - 1:  # where the cut goes, leaving room for the "…"
            end = index
        if counted > chars:
            return text[:end] + ELLIPSIS
    return text


def _row(row: dict, chart: dict, css_class: str, label_chars: int, level_class: str) -> str:
    labels = "".join(f'<text x="0" y="{line["y"]}" class="{css_class}-label">'
                     f'{escape(cut(str(line["text"]), label_chars))}</text>' for line in row["label_lines"])
    bar_class = f"{css_class}-bar" + (f" {level_class}{escape(str(row['key']))}" if level_class else "")
    return (f'{labels}\n'
            f'<rect x="{chart["bar_x"]}" y="{row["bar_y"]}" width="{chart["bar_width"]}" height="20" '
            f'class="{css_class}-track"></rect>\n'
            f'<rect x="{chart["bar_x"]}" y="{row["bar_y"]}" width="{row["width"]}" height="20" '
            f'class="{bar_class}"></rect>\n'
            f'<text x="{chart["value_x"]}" y="{row["value_y"]}" class="{css_class}-value">'
            f'{escape(str(row["value"]))}</text>\n')


@register.simple_tag
def bar_chart(chart: dict, css_class: str, title_id: str, title: str, label_chars: int,
              level_class: str = "") -> SafeString:
    """The SVG of ``chart`` (see the module's docstring for the arguments)."""
    css_class, level_class = escape(css_class), escape(level_class)
    rows = "".join(_row(row, chart, css_class, label_chars, level_class) for row in chart["rows"])
    return mark_safe(  # every text and class in it is escaped above or here
        f'<svg class="{css_class}" role="img" aria-labelledby="{escape(title_id)}" '
        f'viewBox="0 0 {chart["total_width"]} {chart["height"]}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet">\n'
        f'<title id="{escape(title_id)}">{escape(str(title))}</title>\n{rows}</svg>')
