"""A server-rendered SVG bar chart of adoptions per approach (no JavaScript needed).

The chart is drawn from the same data as the overview table, which is the
accessible alternative; the SVG itself carries a title and description. Every colour
reaches 3:1 against the white page (WCAG 1.4.11) and 4.5:1 against the white count
written in each segment, and segments are parted by a white gap, so no two colours
touch: a segment is told by its number and the legend, not by its hue alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from community.models import ADOPTION_STATUSES, Adoption, Approach

COLOURS = {
    "considering": "#2b6cb0",  # blue, 5.4:1 on white
    "piloting": "#b35900",  # orange, 4.8:1
    "implemented": "#1b5e20",  # green, 7.9:1
    "stopped": "#595959",  # grey, 7.0:1
}
BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 260
UNIT = 28
TOP = 10
LEGEND_WIDTH = 4 * 150 + 20  # four statuses side by side


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    colour: str
    status: str
    count: int


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    total: int
    segments: list[Segment]
    end: int  # where the bar ends: its total is written just after it
    counts: dict[str, int]  # per status, for the table that says what the chart shows
    title: str  # in full; the label may be cut short


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    legend_y: int
    legend: list[tuple[int, str, str]]  # (x, status, colour)


def build(approaches: list[Approach], adoptions: dict[int, list[Adoption]]) -> Chart:
    bars = []
    longest = 1
    for index, approach in enumerate(approaches):
        counts = {status: 0 for status in ADOPTION_STATUSES}
        for adoption in adoptions.get(approach.id, []):
            counts[adoption.status] += 1
        x = LABEL_WIDTH
        segments = []
        for status in ADOPTION_STATUSES:
            if counts[status]:
                width = counts[status] * UNIT
                segments.append(Segment(x, width, COLOURS[status], status, counts[status]))
                x += width
        total = sum(counts.values())
        longest = max(longest, total)
        label = approach.title if len(approach.title) <= 38 else approach.title[:37] + "…"
        bars.append(
            Bar(TOP + index * (BAR_HEIGHT + GAP), label, total, segments, x, counts, approach.title)
        )
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 40
    width = max(LABEL_WIDTH + longest * UNIT + 60, LEGEND_WIDTH)
    legend = [(index * 150, status, COLOURS[status]) for index, status in enumerate(COLOURS)]
    return Chart(width=width, height=height, bars=bars, legend_y=height - 22, legend=legend)
