"""A server-rendered SVG bar chart of adoptions per approach (no JavaScript needed).

The chart is drawn from the same data as the overview table, which is the
accessible alternative; the SVG itself carries a title and description.
"""

from __future__ import annotations

from dataclasses import dataclass

from community.models import ADOPTION_STATUSES, Adoption, Approach

COLOURS = {
    "considering": "#8fb8d9",
    "piloting": "#3f7fb5",
    "implemented": "#1b5e20",
    "stopped": "#9e9e9e",
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


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    legend_y: int


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
        bars.append(Bar(TOP + index * (BAR_HEIGHT + GAP), label, total, segments))
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 40
    width = max(LABEL_WIDTH + longest * UNIT + 60, LEGEND_WIDTH)
    return Chart(width=width, height=height, bars=bars, legend_y=height - 22)
