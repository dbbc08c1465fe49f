"""Grouped bar charts as inline SVG for skill progression: per skill, one bar per round.

Pure Python (no Django), in the manner of events/charts.py: the caller passes the words already
translated; one `<svg role="img">` with a `<title>` and a `<desc>` that reads every value as text,
each value written beside its bar, right to left mirrored when `rtl`. A missing value (a round not
assessed yet) draws no bar and reads "–".
"""

from __future__ import annotations

from html import escape

WIDTH = 320
PAD = 4
LABEL_HEIGHT = 18
BAR = 10
GAP = 3
ROW_GAP = 10
LEGEND_HEIGHT = 22
VALUE_SPACE = 40
FONT_SIZE = 12
# Earlier rounds lighter, the latest darkest: the eye reads the change from light to dark.
COLOURS = ("#9db7d5", "#4f86c6", "#0b3d75")


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shown(value: float | None, unit: str) -> str:
    return "–" if value is None else f"{_num(value)}{unit}"


def grouped_chart(
    *,
    chart_id: str,
    title: str,
    series: list[str],
    rows: list[tuple[str, list[float | None]]],
    scale: float,
    unit: str = "",
    rtl: bool = False,
    empty: str = "",
) -> str:
    """Horizontal bars: per row (a skill) its label, then one bar per series (a round), 0 to `scale`."""
    per_row = LABEL_HEIGHT + len(series) * (BAR + GAP) + ROW_GAP
    height = LEGEND_HEIGHT + max(len(rows), 1) * per_row
    length = WIDTH - 2 * PAD - VALUE_SPACE

    def x(pos: float) -> float:
        return WIDTH - pos if rtl else pos

    def left(pos: float, span: float) -> float:
        return WIDTH - pos - span if rtl else pos

    anchor = "end" if rtl else "start"
    description = (
        "; ".join(
            f"{label}: " + ", ".join(f"{name} {_shown(v, unit)}" for name, v in zip(series, values, strict=True))
            for label, values in rows
        )
        or empty
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-grouped" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" role="img" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc" direction="{"rtl" if rtl else "ltr"}" font-size="{FONT_SIZE}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    # The legend: a swatch and the series' name, one after the other.
    pos = PAD
    for i, name in enumerate(series):
        out.append(f'<rect x="{_num(left(pos, 10))}" y="4" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>')
        out.append(f'<text x="{_num(x(pos + 14))}" y="13" text-anchor="{anchor}">{escape(name)}</text>')
        pos += 22 + 7 * len(name)
    if not rows:
        out.append(f'<text class="empty" x="{_num(x(PAD))}" y="{LEGEND_HEIGHT + 14}" text-anchor="{anchor}">')
        out.append(f"{escape(empty)}</text>")
    for r, (label, values) in enumerate(rows):
        top = LEGEND_HEIGHT + r * per_row
        out.append(f'<g class="row" data-label="{escape(label, quote=True)}">')
        out.append(
            f'<text class="label" x="{_num(x(PAD))}" y="{top + 13}" text-anchor="{anchor}">{escape(label)}</text>'
        )
        for i, (name, value) in enumerate(zip(series, values, strict=True)):
            y = top + LABEL_HEIGHT + i * (BAR + GAP)
            span = 0.0 if value is None else length * min(max(value, 0), scale) / scale
            out.append(f'<g class="bar" data-series="{escape(name, quote=True)}" data-value="{_shown(value, "")}">')
            out.append(f"<title>{escape(f'{label}, {name}: {_shown(value, unit)}')}</title>")
            out.append(
                f'<rect x="{_num(left(PAD, span))}" y="{y}" width="{_num(span)}" height="{BAR}" '
                f'fill="{COLOURS[i % len(COLOURS)]}"/>'
            )
            out.append(
                f'<text class="value" x="{_num(x(PAD + span + 4))}" y="{y + BAR - 1}" text-anchor="{anchor}" '
                f'font-size="{FONT_SIZE - 2}">{escape(_shown(value, unit))}</text>'
            )
            out.append("</g>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
