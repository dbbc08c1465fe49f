"""events/charts.py: the SVG bar charts the control room shows, read back as XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from events import charts
from events.charts import Bar

NS = {"svg": "http://www.w3.org/2000/svg"}


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # well-formed, or this raises


def _bars(svg: ET.Element) -> list[ET.Element]:
    return svg.findall("svg:g[@class='bar']", NS)


def _rect(bar: ET.Element) -> dict[str, float]:
    rect = bar.find("svg:rect", NS)
    return {k: float(rect.get(k)) for k in ("x", "y", "width", "height")}


@pytest.mark.parametrize(
    ("maximum", "scale"), [(0, 1), (1, 1), (2, 2), (3, 5), (5, 5), (7, 10), (10, 10), (11, 20), (21, 50), (999, 1000)]
)
def test_the_axis_ends_at_one_two_or_five_times_a_power_of_ten(maximum, scale):
    assert charts.nice_scale(maximum) == scale


def test_a_category_chart_has_a_bar_per_category_in_proportion_with_its_number_as_text():
    svg = _svg(
        charts.category_chart(
            chart_id="g", title="Arrivals by gate", bars=[Bar("North", "North", 10), Bar("South", "South", 5)]
        )
    )
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "g-title g-desc"
    assert svg.find("svg:title", NS).text == "Arrivals by gate"
    assert svg.find("svg:desc", NS).text == "North: 10, South: 5"
    north, south = _bars(svg)
    assert (north.get("data-key"), south.get("data-key")) == ("North", "South")
    assert _rect(north)["width"] == pytest.approx(2 * _rect(south)["width"])
    assert _rect(north)["width"] == pytest.approx(charts.CATEGORY_WIDTH - 2 * charts.PAD - charts.VALUE_SPACE)
    assert [t.text for t in north.findall("svg:text", NS)] == ["North", "10"]
    assert north.find("svg:title", NS).text == "North: 10"
    # The value axis reads 0, 5, 10 along the bottom.
    assert [t.text for t in svg.findall("svg:text[@class='axis']", NS)] == ["0", "5", "10"]


def test_labels_are_escaped_and_whole_however_long():
    name = 'البوابة الجنوبية الرئيسية لمعرض التوظيف في بغداد <script>alert("x")</script> & co'
    markup = charts.category_chart(chart_id="g", title="<b>", bars=[Bar(name, name, 3)])
    assert "<script>" not in markup and "<b>" not in markup
    svg = _svg(markup)
    assert _bars(svg)[0].find("svg:text[@class='label']", NS).text == name
    assert svg.find("svg:title", NS).text == "<b>"


def test_right_to_left_mirrors_bars_labels_and_axis():
    bars = [Bar("candidate", "مرشح", 4), Bar("employer", "ممثل جهة عمل", 2)]
    ltr = _svg(charts.category_chart(chart_id="r", title="t", bars=bars))
    rtl = _svg(charts.category_chart(chart_id="r", title="t", bars=bars, rtl=True))
    assert rtl.get("direction") == "rtl" and ltr.get("direction") == "ltr"
    width = charts.CATEGORY_WIDTH
    for a, b in zip(_bars(ltr), _bars(rtl), strict=True):
        left, right = _rect(a), _rect(b)
        assert right["width"] == left["width"]
        # The bar starts at the right edge and grows to the left.
        assert right["x"] + right["width"] == pytest.approx(width - left["x"])
        assert float(b.find("svg:text[@class='label']", NS).get("x")) == width - float(
            a.find("svg:text[@class='label']", NS).get("x")
        )
    # The axis' zero is on the right.
    zero_ltr = ltr.findall("svg:text[@class='axis']", NS)[0]
    zero_rtl = rtl.findall("svg:text[@class='axis']", NS)[0]
    assert float(zero_rtl.get("x")) == width - float(zero_ltr.get("x")) > width / 2


def test_time_chart_runs_earliest_first_from_the_start_side_with_time_labels():
    bars = [
        Bar(f"k{i}", f"09:{5 * i:02d}–09:{5 * i + 5:02d}", n, tick=f"09:{5 * i:02d}") for i, n in enumerate([1, 0, 4])
    ]
    ltr = _svg(charts.time_chart(chart_id="t", title="Per five minutes", bars=bars))
    rtl = _svg(charts.time_chart(chart_id="t", title="Per five minutes", bars=bars, rtl=True))
    first, empty, last = (_rect(b) for b in _bars(ltr))
    assert first["x"] < empty["x"] < last["x"]
    assert empty["height"] == 0 and last["height"] == pytest.approx(4 * first["height"])
    assert first["y"] + first["height"] == pytest.approx(last["y"] + last["height"])  # one baseline
    r_first, _, r_last = (_rect(b) for b in _bars(rtl))
    assert r_first["x"] > r_last["x"]
    ticks = [t.text for t in ltr.findall("svg:text[@class='axis']", NS)]
    assert ticks[-3:] == ["09:00", "09:05", "09:10"]
    assert ltr.find("svg:desc", NS).text == "09:00–09:05: 1, 09:05–09:10: 0, 09:10–09:15: 4"


def test_a_long_time_axis_labels_every_few_slots_only():
    bars = [Bar(str(i), str(i), i % 3, tick=f"t{i}") for i in range(36)]
    svg = _svg(charts.time_chart(chart_id="t", title="x", bars=bars))
    labels = [t.text for t in svg.findall("svg:text[@class='axis']", NS) if t.text.startswith("t")]
    assert 4 <= len(labels) <= charts.MAX_TIME_LABELS
    assert labels[0] == "t0"


def test_an_empty_chart_says_so_in_words():
    svg = _svg(charts.category_chart(chart_id="e", title="Arrivals by role", bars=[], empty="No arrivals yet"))
    assert _bars(svg) == []
    assert svg.find("svg:desc", NS).text == "No arrivals yet"
    assert svg.find("svg:text[@class='empty']", NS).text == "No arrivals yet"
    time = _svg(charts.time_chart(chart_id="e", title="x", bars=[], empty="No arrivals yet"))
    assert time.find("svg:desc", NS).text == "No arrivals yet"


def test_bars_carry_what_a_page_needs_to_move_them_to_a_pushed_value():
    svg = _svg(charts.category_chart(chart_id="g", title="t", bars=[Bar("A", "A", 3)], rtl=True))
    rect = _bars(svg)[0].find("svg:rect", NS)
    assert svg.get("data-scale") == "5"
    assert rect.get("data-axis") == "x" and rect.get("data-dir") == "-1"
    origin, full = float(rect.get("data-origin")), float(rect.get("data-full"))
    # What static/js/charts.js computes for the value drawn gives back the drawing.
    length = full * 3 / 5
    assert float(rect.get("x")) == pytest.approx(origin - length, abs=0.05)
    assert float(rect.get("width")) == pytest.approx(length, abs=0.05)
