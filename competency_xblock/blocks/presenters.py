"""
Template contexts for the learner views, built from a pack and a scoring result.

Plain data in, plain dicts out, in one language: the templates only lay them out
(and escape them). Nothing here knows of XBlock, and no answer key is ever put
into a question context.
"""
from __future__ import annotations

from ..domain import authoring
from ..domain.charts import bar_chart
from ..domain.pack_model import Item, Pack, localize
from ..domain.scoring import Result, lowered_and_raised, shown_percent, shown_score, weakest_dimensions
from .followups import is_in_page_anchor

RESULT_LABEL_LINE_CHARS = 36  # at 16 px type, 36 characters fit the chart's 360 units; the template never cuts a line


def safe_href(url: str) -> str | None:
    """``url`` (stripped) if it is an http(s) URL or a path on this site, else None."""
    url = url.strip() if isinstance(url, str) else url
    return url if authoring.is_http_url(url) or authoring.is_site_path(url) else None


def _lesson_href(url) -> str | None:
    """A follow-up lesson's link: a safe URL, or an in-page ``#anchor`` (a gate in the workbench)."""
    return url if is_in_page_anchor(url) else safe_href(url)


def question_context(pack: Pack, items: tuple[Item, ...], language: str, answers: dict) -> list[dict]:
    """Questions grouped by dimension, in pack order, with saved answers marked; no keys."""
    def text(value):
        return localize(value, language, pack.default_language)

    scale = pack.scale.get(language) or pack.scale[pack.default_language]
    groups = []
    for dimension in pack.dimensions:
        questions = []
        for item in items:
            if item.dimension != dimension.id:
                continue
            saved = answers.get(item.id)
            if item.is_situational:
                choices = [{"value": o.id, "label": text(o.text), "checked": saved == o.id} for o in item.options]
            else:
                choices = [{"value": str(v), "label": label, "checked": saved == v}
                           for v, label in enumerate(scale, start=1)]
            questions.append({"id": item.id, "situational": item.is_situational,
                              "prompt": text(item.prompt), "choices": choices})
        if questions:
            groups.append({"id": dimension.id, "name": text(dimension.name),
                           "description": text(dimension.description) if dimension.description else "",
                           "questions": questions})
    return groups


def _chart(dimensions: list[dict]) -> dict:
    rows = [{**d, "value": "–" if d["percent"] is None else f"{d['percent']}%"} for d in dimensions]
    # Names above their bars, whole: at 360 px a label beside the bar would be cut or tiny.
    return bar_chart(rows, [(d["percent"] or 0) / 100 for d in dimensions], label_width=0, value_room=60,
                     label_line_chars=RESULT_LABEL_LINE_CHARS)


def result_context(pack: Pack, result: Result, language: str, follow_ups: list[dict],
                   extra_links: list[dict] = (), items: tuple[Item, ...] | None = None) -> dict:
    """Everything the result view shows for one scored attempt.

    ``extra_links`` ({"kind", "title", "url"}, already for this level) follow the pack's own;
    ``items`` are the questions as asked (after Studio overrides), by default the pack's.
    """
    def text(value):
        return localize(value, language, pack.default_language)

    items = {item.id: item for item in (pack.items if items is None else items)}
    dimensions = [{"id": d.id, "name": text(pack.dimension(d.id).name),
                   "percent": None if d.percent is None else int(shown_score(d.percent, 0)),
                   "self_rated_only": d.self_rated_only} for d in result.dimensions]
    lowered, raised = lowered_and_raised(result)
    level = pack.level(result.level) if result.level else None
    return {
        "level": result.level,
        "level_name": text(level.name) if level else "",
        "level_description": text(level.description) if level else "",
        "level_needed_in": text(level.needed_in) if level else "",
        "overall": None if result.overall is None else shown_percent(result.overall),
        "borderline": result.borderline,
        "dimensions": dimensions,
        "chart": _chart(dimensions),
        "lowered": [text(items[s.item_id].behaviour) for s in lowered if s.item_id in items],
        "raised": [text(items[s.item_id].behaviour) for s in raised if s.item_id in items],
        "tips": [{"name": text(pack.dimension(d.id).name),
                  "tips": list(pack.dimension(d.id).tips.get(language)
                               or pack.dimension(d.id).tips[pack.default_language])}
                 for d in weakest_dimensions(result)],
        "links": [{"kind": link.kind, "title": text(link.title), "url": link.url}
                  for link in pack.links_for(result.level or 0) if safe_href(link.url)]
                 + [dict(link) for link in extra_links if safe_href(link.get("url"))],
        "follow_ups": [{"title": f["title"], "url": _lesson_href(f.get("url", ""))}
                       for f in follow_ups if _lesson_href(f.get("url", ""))],
    }


def localize_text(text, language: str, pack: Pack) -> str:
    """``text`` in ``language``, falling back to the pack's default language."""
    return localize(text, language, pack.default_language)
