"""Geometry of the horizontal bar charts the result and staff views draw as inline SVG (pure)."""
from __future__ import annotations

import functools
import textwrap

BAR_HEIGHT = 28    # one row: a 20 px bar with room above and below
BAR_WIDTH = 300    # the length of a full bar
LINE_HEIGHT = 19   # one line of a label written above its bar (16 px type)


@functools.lru_cache(maxsize=1024)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` characters; kept, as the same few names come back on every page."""
    return tuple(textwrap.wrap(text, width)) or ("",)


def bar_chart(rows: list[dict], fractions: list[float], label_width: int, value_room: int,
              label_line_chars: int | None = None) -> dict:
    """
    Place ``rows`` (one dict each, kept as they are) one under another, each bar
    ``fractions[i]`` (0..1) of a full bar, with the value ``value_room`` on its right.

    A label takes ``label_width`` on the bar's left; or, with ``label_line_chars``, it is
    written whole above its bar, wrapped into lines of at most that many characters. The
    latter keeps long names (Russian, Latvian, Polish) readable on a phone, where a chart
    with labels beside the bars would have to shrink or cut them.
    """
    above = label_line_chars is not None
    placed, top = [], 0
    for row, fraction in zip(rows, fractions):
        if above:
            lines = _wrapped(str(row["name"]), label_line_chars)
            label_lines = [{"text": line, "y": top + 15 + index * LINE_HEIGHT} for index, line in enumerate(lines)]
            bar_y = top + len(lines) * LINE_HEIGHT + 3
            height = len(lines) * LINE_HEIGHT + 3 + BAR_HEIGHT
        else:
            label_lines = [{"text": row["name"], "y": top + BAR_HEIGHT * 0.65}]
            bar_y, height = top + 4, BAR_HEIGHT
        placed.append({**row, "y": top, "label_lines": label_lines, "bar_y": bar_y, "value_y": bar_y + 14.2,
                       "width": round(BAR_WIDTH * fraction, 1)})
        top += height
    bar_x = 0 if above else label_width
    return {"rows": placed, "height": top, "bar_x": bar_x, "value_x": bar_x + BAR_WIDTH + 6,
            "bar_width": BAR_WIDTH, "total_width": bar_x + BAR_WIDTH + value_room}
