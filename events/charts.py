"""Bar charts as inline SVG, drawn on the server: no chart library, no script needed to see them.

Pure Python (no Django): the caller passes the words already translated. Each chart is one `<svg>`
with `role="img"`, a `<title>` and a `<desc>` that reads every number as text (screen readers get
the figures, not a picture of them), a visible value beside each bar, and axis labels. Right to
left (`rtl=True`) mirrors the drawing: categories read from the right, time runs from right to left.

Every bar is a `<g data-key=…>` whose `<rect>` carries its own geometry (`data-origin`, `data-full`,
`data-dir`), and the `<svg>` its scale (`data-scale`), so a page can move a bar to a new value it
was pushed without redrawing (static/js/charts.js); a value past the scale or a new bar needs the
server to draw the chart again.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Category charts: one row per bar, its label on a line of its own above it (no label is cut,
# however long an Arabic gate or role name is).
CATEGORY_WIDTH = 320
ROW_HEIGHT = 44
BAR_THICKNESS = 16
VALUE_SPACE = 44  # room after the longest bar for its number
AXIS_HEIGHT = 22
PAD = 4

# The time chart: columns over a time axis.
TIME_WIDTH = 640
TIME_HEIGHT = 220
TIME_MARGIN = {"start": 36, "end": 8, "top": 18, "bottom": 26}
MAX_TIME_LABELS = 8
MAX_COLUMN = 28.0  # a column's width however few slots there are
FONT_SIZE = 13


@dataclass(frozen=True)
class Bar:
    """One bar: `key` identifies it to live updates, `label` is what a person reads, `tick` its axis label."""

    key: str
    label: str
    value: int
    tick: str = ""


def nice_scale(maximum: int) -> int:
    """The axis' end: the smallest 1, 2 or 5 times a power of ten at or above `maximum` (at least 1)."""
    if maximum <= 1:
        return 1
    power = 10 ** (len(str(int(maximum))) - 1)
    for step in (1, 2, 5, 10):
        if step * power >= maximum:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _ticks(scale: int) -> list[int]:
    return [0, scale // 2, scale] if scale >= 2 and scale % 2 == 0 else [0, scale]


def _num(value: float) -> str:
    """A coordinate: short, and the same text for the same value."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _attrs(**attrs: object) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = _num(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


class _Mirror:
    """x positions in a left-to-right drawing, mirrored when the chart reads right to left."""

    def __init__(self, width: float, rtl: bool) -> None:
        self.width, self.rtl = width, rtl

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def span(self, x: float, length: float) -> float:
        """The left edge of a shape that starts at `x` and runs `length` towards the end."""
        return self.width - x - length if self.rtl else x

    @property
    def dir(self) -> int:
        return -1 if self.rtl else 1


def _open(*, chart_id: str, width: float, height: float, title: str, description: str, scale: int, kind: str,
          rtl: bool, item_format: str, separator: str) -> list[str]:  # fmt: skip
    return [
        "<svg "
        + _attrs(
            xmlns="http://www.w3.org/2000/svg",
            class_=f"chart chart-{kind}",
            id=chart_id,
            viewBox=f"0 0 {_num(width)} {_num(height)}",
            role="img",
            aria_labelledby=f"{chart_id}-title {chart_id}-desc",
            direction="rtl" if rtl else "ltr",
            font_size=FONT_SIZE,
            data_scale=scale,
            data_item_format=item_format,
            data_separator=separator,
        )
        + ">",
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def describe(bars: list[Bar], *, item_format: str, separator: str, empty: str) -> str:
    """Every bar's label and value as one sentence, for the `<desc>` (and a page's live update of it)."""
    if not bars:
        return empty
    return separator.join(item_format.replace("%(label)s", b.label).replace("%(value)s", str(b.value)) for b in bars)


def category_chart(
    *,
    chart_id: str,
    title: str,
    bars: list[Bar],
    rtl: bool = False,
    empty: str = "",
    item_format: str = "%(label)s: %(value)s",
    separator: str = ", ",
) -> str:
    """Horizontal bars, one row per category, each label above its bar and the value after it."""
    scale = nice_scale(max((b.value for b in bars), default=0))
    length = CATEGORY_WIDTH - 2 * PAD - VALUE_SPACE
    rows_height = max(len(bars), 1) * ROW_HEIGHT
    height = rows_height + AXIS_HEIGHT
    m = _Mirror(CATEGORY_WIDTH, rtl)
    description = describe(bars, item_format=item_format, separator=separator, empty=empty)
    out = _open(chart_id=chart_id, width=CATEGORY_WIDTH, height=height, title=title, description=description,
                scale=scale, kind="categories", rtl=rtl, item_format=item_format, separator=separator)  # fmt: skip
    # The value axis: grid lines and their numbers along the bottom.
    for tick in _ticks(scale):
        x = m.x(PAD + length * tick / scale)
        out.append(f"<line {_attrs(class_='grid', x1=x, x2=x, y1=0, y2=rows_height, stroke='#d9dee5')}/>")
        out.append(f"<text {_attrs(class_='axis', x=x, y=height - 6, text_anchor='middle')}>{tick}</text>")
    out.append(f"<line {_attrs(class_='baseline', x1=m.x(PAD), x2=m.x(PAD), y1=0, y2=rows_height, stroke='#5a6472')}/>")
    if not bars:
        out.append(f"<text {_attrs(class_='empty', x=m.x(PAD + 6), y=ROW_HEIGHT / 2 + 4)}>{escape(empty)}</text>")
    for i, bar in enumerate(bars):
        top = i * ROW_HEIGHT
        bar_len = length * bar.value / scale
        bar_y = top + 20
        out.append(f"<g {_attrs(class_='bar', data_key=bar.key, data_label=bar.label)}>")
        out.append(
            f"<title>{escape(item_format.replace('%(label)s', bar.label).replace('%(value)s', str(bar.value)))}</title>"
        )
        out.append(f"<text {_attrs(class_='label', x=m.x(PAD), y=top + 14)}>{escape(bar.label)}</text>")
        rect = _attrs(
            x=m.span(PAD, bar_len), y=bar_y, width=bar_len, height=BAR_THICKNESS, rx=2, fill="#0b5cad",
            data_origin=m.x(PAD), data_full=length, data_dir=m.dir, data_axis="x",
        )  # fmt: skip
        out.append(f"<rect {rect}/>")
        value_x = m.x(PAD + bar_len + 4)
        out.append(f"<text {_attrs(class_='value', x=value_x, y=bar_y + BAR_THICKNESS - 3)}>{bar.value}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def time_chart(
    *,
    chart_id: str,
    title: str,
    bars: list[Bar],
    rtl: bool = False,
    empty: str = "",
    item_format: str = "%(label)s: %(value)s",
    separator: str = ", ",
) -> str:
    """Columns over a time axis, earliest first (at the start side): one per slot, labels every few slots."""
    scale = nice_scale(max((b.value for b in bars), default=0))
    start, end, top, bottom = (TIME_MARGIN[k] for k in ("start", "end", "top", "bottom"))
    plot_w, plot_h = TIME_WIDTH - start - end, TIME_HEIGHT - top - bottom
    base = top + plot_h
    m = _Mirror(TIME_WIDTH, rtl)
    description = describe(bars, item_format=item_format, separator=separator, empty=empty)
    out = _open(chart_id=chart_id, width=TIME_WIDTH, height=TIME_HEIGHT, title=title, description=description,
                scale=scale, kind="time", rtl=rtl, item_format=item_format, separator=separator)  # fmt: skip
    for tick in _ticks(scale):
        y = base - plot_h * tick / scale
        line = _attrs(class_="grid", x1=m.x(start), x2=m.x(start + plot_w), y1=y, y2=y, stroke="#d9dee5")
        out.append(f"<line {line}/>")
        label = _attrs(class_="axis", x=m.x(start - 6), y=y + 4, text_anchor="end")
        out.append(f"<text {label}>{tick}</text>")
    baseline = _attrs(class_="baseline", x1=m.x(start), x2=m.x(start + plot_w), y1=base, y2=base, stroke="#5a6472")
    out.append(f"<line {baseline}/>")
    if not bars:
        out.append(f"<text {_attrs(class_='empty', x=m.x(start + 8), y=top + plot_h / 2)}>{escape(empty)}</text>")
    step = plot_w / max(len(bars), 1)
    width = min(max(step * 0.72, 1.0), MAX_COLUMN)
    every = next((k for k in (1, 2, 3, 6, 12, 24, 48) if len(bars) / k <= MAX_TIME_LABELS), 48)
    for i, bar in enumerate(bars):
        x = start + i * step + (step - width) / 2
        bar_h = plot_h * bar.value / scale
        out.append(f"<g {_attrs(class_='bar', data_key=bar.key, data_label=bar.label)}>")
        out.append(
            f"<title>{escape(item_format.replace('%(label)s', bar.label).replace('%(value)s', str(bar.value)))}</title>"
        )
        rect = _attrs(
            x=m.span(x, width), y=base - bar_h, width=width, height=bar_h, fill="#0b5cad",
            data_origin=base, data_full=plot_h, data_dir=-1, data_axis="y",
        )  # fmt: skip
        out.append(f"<rect {rect}/>")
        if step >= 14:
            value = _attrs(class_="value", x=m.x(x + width / 2), y=base - bar_h - 4, text_anchor="middle")
            out.append(f"<text {value}>{bar.value if bar.value else ''}</text>")
        out.append("</g>")
        if i % every == 0:
            label = _attrs(class_="axis", x=m.x(x + width / 2), y=TIME_HEIGHT - 8, text_anchor="middle")
            out.append(f"<text {label}>{escape(bar.tick or bar.label)}</text>")
    out.append("</svg>")
    return "".join(out)
