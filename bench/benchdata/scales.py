"""The data volumes of `flask bench-data --scale ...` (see docs/PERFORMANCE.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    partners: int  # partner organisations besides the 40 cities (the seed has a few)
    users: int
    communities: int
    cases: int
    contributions: int
    big_cases: int  # cases with 200 or more contributions
    approaches: int
    adoptions: int
    meetings: int
    notifications: int


SCALES = {
    # For the query-count tests: the same pages as the other scales, built in a second.
    "tiny": Scale("tiny", 8, 60, 8, 60, 600, 1, 20, 40, 12, 2_000),
    "small": Scale("small", 20, 500, 15, 1_000, 10_000, 5, 250, 1_000, 150, 50_000),
    "large": Scale("large", 60, 5_000, 150, 20_000, 400_000, 200, 5_000, 20_000, 3_000, 1_000_000),
    "search": Scale(
        "search", 60, 5_000, 150, 20_000, 1_000_000, 200, 5_000, 20_000, 3_000, 1_000_000
    ),
}

# The account the load runner logs in with; a member of several communities.
BENCH_EMAIL = "bench@leerkring.example"
BENCH_PASSWORD = "leerkring-bench-2026"  # noqa: S105 - generated benchmark data only
BENCH_COMMUNITIES = 6
