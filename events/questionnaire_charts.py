"""The charts of questionnaire answers and of the three-way skills gap, as inline SVG drawn on the server.

Choices and scales are events.charts' category bars (one row per option, its label above the bar,
so no Arabic label is cut on a phone); numbers are a histogram drawn with its column chart; the
skills gap is `grouped_chart`: one row per skill with a bar for each measure side by side, in the
same manner (a `<title>` and a `<desc>` that reads every number, mirrored right to left).
Pure Python: the caller passes the words already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from events.charts import Bar, category_chart, nice_scale, time_chart

WIDTH = 320
LABEL_HEIGHT = 18
SERIES_BAR = 9
SERIES_GAP = 2
ROW_GAP = 10
VALUE_SPACE = 44
PAD = 4
AXIS_HEIGHT = 22
LEGEND_HEIGHT = 20


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    values: tuple[float, ...]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def question_chart(question: dict[str, Any], *, chart_id: str, rtl: bool, empty: str) -> str:
    """The chart of one summarised question (events.questionnaire_analysis), or "" when it has none."""
    kind = question["kind"]
    title = question["text"]
    if kind in ("single", "multiple", "scale", "date"):
        bars = [Bar(key=c["value"], label=c["label"], value=c["count"]) for c in question["counts"]]
        return category_chart(chart_id=chart_id, title=title, bars=bars, rtl=rtl, empty=empty)
    if kind == "number":
        bars = [Bar(key=str(i), label=b["label"], value=b["count"]) for i, b in enumerate(question["buckets"])]
        return time_chart(chart_id=chart_id, title=title, bars=bars, rtl=rtl, empty=empty)
    if kind == "skills":
        bars = [Bar(key=s["skill"], label=s["label"], value=s["count"]) for s in question["skills"][:15]]
        return category_chart(chart_id=chart_id, title=title, bars=bars, rtl=rtl, empty=empty)
    return ""


def grouped_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    rows: Sequence[GroupRow],
    rtl: bool = False,
    empty: str = "",
) -> str:
    """Horizontal bars, one row per category with a bar for each series, a legend on top."""
    peak = max((v for r in rows for v in r.values), default=0)
    scale = nice_scale(int(peak) + (0 if float(peak).is_integer() else 1))
    length = WIDTH - 2 * PAD - VALUE_SPACE
    row_height = LABEL_HEIGHT + len(series) * (SERIES_BAR + SERIES_GAP) + ROW_GAP
    top = LEGEND_HEIGHT
    rows_bottom = top + max(len(rows), 1) * row_height
    height = rows_bottom + AXIS_HEIGHT

    def x(pos: float) -> float:
        return WIDTH - pos if rtl else pos

    def span(pos: float, size: float) -> float:
        return WIDTH - pos - size if rtl else pos

    parts = [
        f"{r.label}: " + ", ".join(f"{s.label} {_fmt(v)}" for s, v in zip(series, r.values, strict=True)) for r in rows
    ]
    description = "; ".join(parts) if rows else empty
    # With direction="rtl" on the <svg>, "start" is the right-hand end of a text: the x given.
    anchor = "start"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-grouped" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {_fmt(height)}" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" direction="{"rtl" if rtl else "ltr"}" font-size="13" data-scale="{scale}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    # The legend: a swatch and a name per series, along the top.
    step = (WIDTH - 2 * PAD) / max(len(series), 1)
    for i, s in enumerate(series):
        pos = PAD + i * step
        out.append(f'<rect x="{_fmt(span(pos, 10))}" y="4" width="10" height="10" fill="{s.colour}"/>')
        out.append(
            f'<text class="legend" x="{_fmt(x(pos + 14))}" y="13" text-anchor="{anchor}">{escape(s.label)}</text>'
        )
    for tick in sorted({0, scale // 2, scale} if scale >= 2 and scale % 2 == 0 else {0, scale}):
        gx = _fmt(x(PAD + length * tick / scale))
        out.append(f'<line class="grid" x1="{gx}" x2="{gx}" y1="{top}" y2="{rows_bottom}" stroke="#d9dee5"/>')
        out.append(f'<text class="axis" x="{gx}" y="{_fmt(height - 6)}" text-anchor="middle">{tick}</text>')
    base = _fmt(x(PAD))
    out.append(f'<line class="baseline" x1="{base}" x2="{base}" y1="{top}" y2="{rows_bottom}" stroke="#5a6472"/>')
    if not rows:
        out.append(
            f'<text class="empty" x="{_fmt(x(PAD + 6))}" y="{top + 20}" text-anchor="{anchor}">{escape(empty)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * row_height
        out.append(f'<g class="group" data-key="{escape(row.key)}">')
        out.append(f"<title>{escape(parts[i])}</title>")
        out.append(
            f'<text class="label" x="{_fmt(x(PAD))}" y="{y + 14}" text-anchor="{anchor}">{escape(row.label)}</text>'
        )
        for j, (s, value) in enumerate(zip(series, row.values, strict=True)):
            bar_len = length * value / scale
            by = y + LABEL_HEIGHT + j * (SERIES_BAR + SERIES_GAP)
            out.append(
                f'<rect class="bar-{escape(s.key)}" x="{_fmt(span(PAD, bar_len))}" y="{by}" width="{_fmt(bar_len)}" '
                f'height="{SERIES_BAR}" fill="{s.colour}"/>'
            )
            out.append(
                f'<text class="value" x="{_fmt(x(PAD + bar_len + 4))}" y="{by + SERIES_BAR - 1}" font-size="10" '
                f'text-anchor="{anchor}">{_fmt(value)}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
