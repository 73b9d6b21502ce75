"""``{% bar_chart %}`` (blocks/chart_tags.py): well-formed SVG, the geometry as given, every text escaped."""
import xml.etree.ElementTree as ET

import pytest
from django.template.defaultfilters import truncatechars
from hypothesis import given
from hypothesis import strategies as st

from competency_xblock.blocks import templates
from competency_xblock.blocks.chart_tags import bar_chart, cut
from competency_xblock.domain.charts import bar_chart as geometry

SVG = "{http://www.w3.org/2000/svg}"

# Letters of any script with their combining marks (not counted by either), digits, punctuation, spaces.
plain_text = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Mn", "Mc", "Nd", "Po", "Zs")), max_size=60)


@given(plain_text, st.integers(min_value=0, max_value=40))
def test_a_label_is_cut_as_django_truncatechars_cuts_it(text, chars):
    assert cut(text, chars) == truncatechars(text, chars)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_the_svg_holds_the_geometry_and_escapes_every_text():
    rows = [{"name": 'Empathy & <script>alert("x")</script>', "key": 'a"b', "value": "<65%>"},
            {"name": "Listening", "key": "2", "value": "–"}]
    chart = geometry(rows, [0.65, 0.0], label_width=150, value_room=60)
    svg = bar_chart(chart, "ca-chart", "the-title", "Score <per> dimension", 22, level_class="lvl-")
    assert "<script>" not in svg
    root = parse(svg)  # ElementTree refuses anything not well-formed
    assert root.get("viewBox") == f"0 0 {chart['total_width']} {chart['height']}"
    assert root.find(f"{SVG}title").text == "Score <per> dimension"
    labels = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "ca-chart-label"]
    assert labels == ["Empathy & <script>ale…", "Listening"]
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class").startswith("ca-chart-bar")]
    assert [(bar.get("width"), bar.get("class")) for bar in bars] == [
        (str(chart["rows"][0]["width"]), 'ca-chart-bar lvl-a"b'), ("0.0", "ca-chart-bar lvl-2")]
    values = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "ca-chart-value"]
    assert values == ["<65%>", "–"]


@pytest.mark.django_db
def test_the_tag_renders_in_the_package_templates_without_localising_numbers():
    from django.template import Context
    from django.utils import translation
    chart = geometry([{"name": "Listening", "value": "55%"}], [0.555], label_width=0, value_room=60,
                     label_line_chars=36)
    source = '{% load competency_charts %}{% bar_chart chart "c" "t" title 37 %}'
    with translation.override("pl"):  # Polish writes 166.5 as "166,5"
        html = templates.Template(source, engine=templates._engine()).render(  # pylint: disable=protected-access
            Context({"chart": chart, "title": "T"}))
    assert 'width="166.5"' in html and 'y="36.2"' in html
