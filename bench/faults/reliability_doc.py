"""The results table in docs/RELIABILITY.md, between its two markers."""

from __future__ import annotations

import datetime
from typing import Any

BEGIN = "<!-- fault-results:begin -->"
END = "<!-- fault-results:end -->"


def table(results: list[Any]) -> str:
    lines = [
        f"Run of {datetime.date.today().isoformat()} ({results[0].users} virtual users).",
        "",
        "| Id | Fault | Requests | Acknowledged writes | Lost | Errors during | Errors after "
        "| Recovery (s) | p95 read / post (ms) | Result |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p95 = f"{r.p95_ms.get('read', '–')} / {r.p95_ms.get('post', '–')}"
        verdict = "pass" if r.passed else f"**fail**: {'; '.join(r.violations[:3])}"
        lines.append(
            f"| {r.scenario} | {r.fault} | {r.requests} | {r.acknowledged_writes} | {r.lost} "
            f"| {r.errors_during} | {r.errors_after} | {r.recovery_seconds} | {p95} | {verdict} |"
        )
    return "\n".join(lines)


def write(results: list[Any], path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    before, _, rest = text.partition(BEGIN)
    _, _, after = rest.partition(END)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{before}{BEGIN}\n{table(results)}\n{END}{after}")
