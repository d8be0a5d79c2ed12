"""Server-rendered SVG charts: pure functions from counts to markup-safe SVG.

Every chart reads without JavaScript or colour: it has a <title> and <desc>,
an aria-label, labelled axes, a legend, and a <title> per bar that a pointer
shows on hover. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

from tracker.types import DOC_TYPES

# Okabe–Ito and friends: told apart by most readers with a colour deficiency.
TYPE_COLOURS = {
    "memo": "#7b4fa6",
    "executive-order": "#4b2a7a",  # presidential documents share the memo's purple
    "proclamation": "#b48ad8",
    "notice": "#2f7f7a",
    "export-control": "#d55e00",
    "letter": "#009e73",
    "bill": "#0072b2",
    "rule": "#e69f00",
    "hearing": "#56b4e9",
    "report": "#cc79a7",
    "press-release": "#8a7a00",
    "news": "#6b7280",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 34
LEGEND_ROW = 20
MAX_X_LABELS = 12
MAX_SLOT = 64  # widest a bar's slot gets, however few bars there are


@dataclass(frozen=True)
class Period:
    """One bar of a chart: a month or an ISO week, with its counts by document type."""

    key: tuple[int, int]
    label: str  # "Jun 2026", "Week of 8 Jun 2026"
    short: str  # axis label: "Jun", "8 Jun" (the year goes on a line below it)
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def periods(
    activity: Mapping[tuple[int, int], Mapping[str, int]],
    grain: str,
    first: tuple[int, int] | None = None,
    last: tuple[int, int] | None = None,
) -> list[Period]:
    """Every month or week from `first` to `last` (default: the data's), empty ones too."""
    keys = sorted(activity)
    first = first or (keys[0] if keys else None)
    last = last or (keys[-1] if keys else None)
    if first is None or last is None or first > last:
        return []
    step = _next_month if grain == "month" else _next_week
    found, key = [], first
    while key <= last:
        label, short = _labels(key, grain)
        found.append(Period(key, label, short, dict(activity.get(key, {}))))
        key = step(key)
    return found


def by_period(
    daily: Mapping[tuple[date, str], int], grain: str
) -> dict[tuple[int, int], dict[str, int]]:
    """Counts per (day, type) summed per month or ISO week: {key: {type: count}}."""
    found: dict[tuple[int, int], dict[str, int]] = {}
    for (day, doc_type), count in daily.items():
        counts = found.setdefault(period_key(day, grain), {})
        counts[doc_type] = counts.get(doc_type, 0) + count
    return found


def period_key(day: date, grain: str) -> tuple[int, int]:
    """The (year, month) or (ISO year, ISO week) holding `day`."""
    if grain == "month":
        return (day.year, day.month)
    iso = day.isocalendar()
    return (iso[0], iso[1])


def _next_month(key: tuple[int, int]) -> tuple[int, int]:
    year, month = key
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _next_week(key: tuple[int, int]) -> tuple[int, int]:
    monday = date.fromisocalendar(key[0], key[1], 1) + timedelta(days=7)
    return period_key(monday, "week")


def _labels(key: tuple[int, int], grain: str) -> tuple[str, str]:
    if grain == "month":
        year, month = key
        return f"{MONTHS[month - 1]} {year}", MONTHS[month - 1]
    monday = date.fromisocalendar(key[0], key[1], 1)
    day = f"{monday.day} {MONTHS[monday.month - 1]}"
    return f"Week of {day} {monday.year}", day


def activity_chart(bars: Sequence[Period], *, title: str, chart_id: str = "chart") -> Markup:
    """A bar per period, stacked by document type, with axes, legend, title and desc."""
    types = [t for t in DOC_TYPES if any(p.counts.get(t) for p in bars)]
    types += sorted({t for p in bars for t in p.counts if t not in DOC_TYPES and p.counts[t]})
    legend_rows = _legend_rows(types)
    height = HEIGHT + LEGEND_ROW * len(legend_rows) + 4
    plot_h = HEIGHT - TOP - BOTTOM
    ticks = axis_ticks(max((p.total for p in bars), default=0))
    scale_max = ticks[-1]
    plot_w = WIDTH - LEFT - RIGHT
    slot = min(plot_w / max(len(bars), 1), MAX_SLOT)
    x0 = LEFT + (plot_w - slot * len(bars)) / 2  # few bars stay narrow, in the middle
    bar_w = max(slot * 0.72, 1.0)
    desc = describe(bars, title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" aria-label="{escape(desc)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    parts += _y_axis(ticks, plot_h)
    for index, period in enumerate(bars):
        x = x0 + index * slot + (slot - bar_w) / 2
        parts += _stack(period, types, x, bar_w, scale_max, plot_h)
    parts += _x_labels(bars, x0, slot, plot_h)
    parts += _legend(legend_rows, HEIGHT)
    parts.append("</svg>")
    return Markup("".join(parts))


def describe(bars: Sequence[Period], title: str) -> str:
    """One sentence saying what the chart shows, for its <desc> and screen readers."""
    total = sum(p.total for p in bars)
    if not bars or total == 0:
        return f"{title}: no items in this range."
    busiest = max(bars, key=lambda p: p.total)
    unit = "item" if total == 1 else "items"
    return (
        f"{title}: {total:,} {unit} from {bars[0].label} to {bars[-1].label}; "
        f"the busiest was {busiest.label} with {busiest.total:,}."
    )


def axis_ticks(value: int) -> list[int]:
    """Round tick values from 0 to at least `value`, at most five of them: 0, 5, 10, 15."""
    step, magnitude = 1, 1
    while True:
        found = next((m * magnitude for m in (1, 2, 2.5, 5) if value <= 4 * m * magnitude), None)
        if found is not None and found == int(found):
            step = int(found)
            break
        magnitude *= 10
    top = max(-(-value // step), 1) * step
    return list(range(0, top + 1, step))


def _y_axis(ticks: list[int], plot_h: float) -> list[str]:
    scale_max = ticks[-1]
    parts = ['<g class="axis y" font-size="12" fill="#5b6470">']
    for tick in ticks:
        y = TOP + plot_h - plot_h * tick / scale_max
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#d8dde3" stroke-width="1"/>')  # fmt: skip
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>')
    parts.append(
        f'<text x="12" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {TOP + plot_h / 2:.1f})">Items</text>'
    )
    parts.append("</g>")
    return parts


def _stack(
    period: Period, types: list[str], x: float, width: float, scale_max: int, plot_h: float
) -> list[str]:
    parts = [f'<g class="bar"><title>{escape(_bar_title(period, types))}</title>']
    y = TOP + plot_h
    for doc_type in types:
        count = period.counts.get(doc_type, 0)
        if not count:
            continue
        h = plot_h * count / scale_max
        y -= h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
            f'fill="{TYPE_COLOURS.get(doc_type, "#999999")}"/>'
        )
    parts.append("</g>")
    return parts


def _bar_title(period: Period, types: list[str]) -> str:
    if not period.total:
        return f"{period.label}: no items"
    detail = ", ".join(f"{period.counts[t]} {_type_name(t)}" for t in types if period.counts.get(t))
    return f"{period.label}: {period.total} ({detail})"


def _x_labels(bars: Sequence[Period], x0: float, slot: float, plot_h: float) -> list[str]:
    every = max(1, -(-len(bars) // MAX_X_LABELS))
    parts = ['<g class="axis x" font-size="12" fill="#5b6470" text-anchor="middle">']
    base = TOP + plot_h
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="#5b6470"/>'
    )
    shown_year = ""
    for index, period in enumerate(bars):
        if index % every:
            continue
        x = x0 + index * slot + slot / 2
        # "Mar 26" reads as the 26th of March: the month alone, and under the
        # first label and wherever the year turns, the year in full.
        year = period.label[-4:]
        under = ""
        if year != shown_year:
            under = f'<tspan x="{x:.1f}" dy="14">{escape(year)}</tspan>'
            shown_year = year
        parts.append(f'<text x="{x:.1f}" y="{base + 15}">{escape(period.short)}{under}</text>')
    parts.append("</g>")
    return parts


def _legend_rows(types: list[str]) -> list[list[tuple[str, float]]]:
    """Legend entries laid out in rows that fit the width: [(type, x)]."""
    rows: list[list[tuple[str, float]]] = [[]]
    x = float(LEFT)
    for doc_type in types:
        width = 22 + 7.2 * len(_type_name(doc_type, capital=True)) + 14
        if x + width > WIDTH - RIGHT and rows[-1]:
            rows.append([])
            x = float(LEFT)
        rows[-1].append((doc_type, x))
        x += width
    return rows if rows[0] else []


def _legend(rows: list[list[tuple[str, float]]], y0: float) -> list[str]:
    if not rows:
        return []
    parts = ['<g class="legend" font-size="13" fill="#1b1f24">']
    for row_index, row in enumerate(rows):
        y = y0 + 8 + row_index * LEGEND_ROW
        for doc_type, x in row:
            colour = TYPE_COLOURS.get(doc_type, "#999999")
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
            )
            name = escape(_type_name(doc_type, capital=True))
            parts.append(f'<text x="{x + 17:.1f}" y="{y:.1f}">{name}</text>')
    parts.append("</g>")
    return parts


def _type_name(doc_type: str, capital: bool = False) -> str:
    name = doc_type.replace("-", " ")
    return name.capitalize() if capital else name


def sparkline(values: Sequence[int], *, label: str, width: int = 120, height: int = 28) -> Markup:
    """A tiny bar chart of counts, oldest first, labelled for screen readers."""
    top = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    total = sum(values)
    latest = values[-1] if values else 0
    text = f"{label}: {total:,} items over {len(values)} weeks, {latest:,} in the latest week"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(text)}">',
        f"<title>{escape(text)}</title>",
    ]
    for index, value in enumerate(values):
        h = max((height - 2) * value / top, 1.0 if value else 0.5)
        x = index * slot + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
