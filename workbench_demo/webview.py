"""
``/webview/<scenario id>/``: a scenario's competency assessment alone, as a phone's webview shows it.

The mobile apps show a ``multi_device`` block inside a webview, outside the LMS's course
page. This page has none of the workbench's page either: no jQuery, no workbench runtime
script, a phone's viewport; only the block's own fragment (its CSS, its translations, its
script) and a runtime with the one method the block's script uses, ``handlerUrl``. The
browser test ``test_mobile_webview`` drives it at 360 px.
"""
from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.utils.html import escape
from django.views.decorators.csrf import ensure_csrf_cookie
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import get_scenarios
from workbench.views import get_student_id

BLOCK_TYPE = "competency_assessment"
HANDLERS = ("save_answers", "submit", "question_form", "staff_figures")


def _assessment(block):
    """The first competency assessment in ``block``'s tree (the block itself, or a descendant)."""
    if block.scope_ids.block_type == BLOCK_TYPE:
        return block
    for child in (block.get_children() if block.has_children else []):
        found = _assessment(child)
        if found is not None:
            return found
    return None


@ensure_csrf_cookie
def webview(request, scenario_id):
    try:
        scenario = get_scenarios()[scenario_id]
    except KeyError as error:
        raise Http404 from error
    runtime = WorkbenchRuntime(get_student_id(request))
    block = _assessment(runtime.get_block(scenario.usage_id))
    if block is None:
        raise Http404("no competency assessment in this scenario")
    fragment = block.student_view({})  # the bare view: the workbench runtime would wrap it with its own scripts
    handlers = {name: runtime.handler_url(block, name) for name in HANDLERS}
    init = ("const element = document.getElementById('block');\n"
            f"const handlers = {json.dumps(handlers)};\n"
            f"{fragment.js_init_fn}({{handlerUrl: (el, name) => handlers[name]}}, element, "
            f"{json.dumps(fragment.json_init_args or {})});")
    page = f"""<!DOCTYPE html>
<html lang="{escape(getattr(request, 'LANGUAGE_CODE', 'en'))}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(block.display_name)}</title>{fragment.head_html()}</head>
<body><main><div id="block" class="xblock">{fragment.body_html()}</div></main>
{fragment.foot_html()}<script>{init}</script></body></html>"""
    return HttpResponse(page)
