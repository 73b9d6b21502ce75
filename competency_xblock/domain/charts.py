"""Geometry of the horizontal bar charts the result and staff views draw as inline SVG (pure)."""
from __future__ import annotations

BAR_HEIGHT = 28    # one row: a 20 px bar with room above and below
BAR_WIDTH = 300    # the length of a full bar


def bar_chart(rows: list[dict], fractions: list[float], label_width: int, value_room: int) -> dict:
    """
    Place ``rows`` (one dict each, kept as they are) one under another, each bar
    ``fractions[i]`` (0..1) of a full bar; labels take ``label_width`` on the left and
    the value ``value_room`` on the right.
    """
    placed = [{**row, "y": index * BAR_HEIGHT, "text_y": index * BAR_HEIGHT + BAR_HEIGHT * 0.65,
               "width": round(BAR_WIDTH * fraction, 1)}
              for index, (row, fraction) in enumerate(zip(rows, fractions))]
    return {"rows": placed, "height": len(placed) * BAR_HEIGHT, "label_width": label_width,
            "bar_width": BAR_WIDTH, "total_width": label_width + BAR_WIDTH + value_room}
