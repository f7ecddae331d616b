"""Search latency on the `search` data set (1,000,000 contributions), as the search page does it.

    .venv/bin/python bench/search_bench.py --database sqlite
    .venv/bin/python bench/search_bench.py --database postgresql --database-url postgresql://...

Builds the data once (`flask bench-data --scale search`, see bench/run.py) and times,
per query of one to five words, what one search request asks of the database:
`community.search.search(user, q)` — the permission-scoped, bounded count and the first
page of 20 documents — for the bench user (an active member of the six largest
communities). Every query is run once untimed first (warm caches), then the queries
are timed in turn. No test asserts a timing; the figures go to docs/PERFORMANCE.md.

On PostgreSQL both full-text paths are timed, one after the other: `gin` with the RUM
index dropped (as in a database without the extension), then `rum` with it made again
(`SEARCH_INDEX=rum`; needs `CREATE EXTENSION rum` by a superuser, which a `--rebuild`
drops with the schema). `--paths gin` times one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # bench.benchdata

import run  # noqa: E402 - the load runner's environment and data build

QUERIES: dict[int, list[str]] = {
    1: ["leegstand", "wijkteam", "renovatie", "knarrenhof", "zeppelinhaven"],
    2: ["leegstand wijkteam", "gemeente aanpak", "corporatie renovatie", "leegstand knarrenhof"],
    3: ["gemeente wijkteam bewoner", "leegstand aanloopstraat eigenaar", "jeugdzorg school ouder"],
    4: ["gemeente wijkteam bewoner aanpak", "schulden armoede bijstand inkomen"],
    5: [
        "gemeente wijkteam bewoner aanpak corporatie",
        "leegstand winkelstraat ondernemer pand eigenaar",
        "energiearmoede isolatie huurder corporatie subsidie",
    ],
}
TARGETS_MS = {"sqlite": 150.0, "postgresql": 50.0}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(fraction * (len(ordered) - 1))), len(ordered) - 1)]


def set_rum_index(env: dict[str, str], present: bool) -> bool:
    """Make or drop the RUM index; whether it is there afterwards."""
    from sqlalchemy import create_engine

    from community import search_ddl

    engine = create_engine(env["DATABASE_URL"])
    try:
        with engine.begin() as connection:
            if present:
                return search_ddl.create_rum_index(connection)
            search_ddl.drop_rum_index(connection)
            return False
    finally:
        engine.dispose()


def measure(env: dict[str, str], rounds: int, path: str | None = None) -> dict[str, Any]:
    os.environ.update(env)
    if path:
        os.environ["SEARCH_INDEX"] = path
    from sqlalchemy import func, select

    from bench.benchdata.scales import BENCH_EMAIL
    from community import create_app, search
    from community.extensions import db
    from community.models import Contribution, SearchDocument, User

    app = create_app()
    timings: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    with app.app_context():
        sizes = {
            "contributions": db.session.scalar(select(func.count()).select_from(Contribution)),
            "search_documents": db.session.scalar(select(func.count()).select_from(SearchDocument)),
        }
        user_id = db.session.scalar(select(User.id).where(User.email == BENCH_EMAIL))
    queries = [q for group in QUERIES.values() for q in group]
    for repetition in range(rounds + 1):
        for query in queries:
            with app.test_request_context():
                user = db.session.get(User, user_id)
                started = time.perf_counter()
                page = search.search(user, query)
                elapsed = (time.perf_counter() - started) * 1000
                assert page is not None
                hits[query] = page.total
                if repetition:  # the first round only warms the caches
                    timings.setdefault(query, []).append(elapsed)
                db.session.remove()
    rows = []
    for words, group in QUERIES.items():
        values = [t for q in group for t in timings[q]]
        rows.append(
            {
                "words": words,
                "queries": group,
                "hits": [hits[q] for q in group],
                "median_ms": statistics.median(values),
                "p95_ms": percentile(values, 0.95),
            }
        )
    everything = [t for values in timings.values() for t in values]
    return {
        "sizes": sizes,
        "rows": rows,
        "p95_ms": percentile(everything, 0.95),
        "median_ms": statistics.median(everything),
        "per_query": {
            q: {"hits": hits[q], "median_ms": statistics.median(t)} for q, t in timings.items()
        },  # fmt: skip
        "rounds": rounds,
        "path": path,
    }


def table(database: str, result: dict[str, Any]) -> str:
    target = TARGETS_MS[database]
    ok = "✓" if result["p95_ms"] <= target else "✗"
    via = f" via **{result['path'].upper()}**" if result.get("path") else ""
    lines = [
        f"Database **{database}**{via}, {result['sizes']['contributions']:,} contributions, "
        f"{result['sizes']['search_documents']:,} search documents; {run.machine()}; "
        f"{result['rounds']} timed rounds. All queries: median {result['median_ms']:.1f} ms, "
        f"p95 **{result['p95_ms']:.1f} ms** (target ≤ {target:.0f} ms) {ok}.",
        "",
        "| Words | Queries (hits, counted up to 1,000) | median ms | p95 ms |",
        "|---:|---|---:|---:|",
    ]
    for row in result["rows"]:
        queries = "; ".join(
            f"`{q}` ({h:,})" for q, h in zip(row["queries"], row["hits"], strict=True)
        )
        lines.append(
            f"| {row['words']} | {queries} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scale", choices=("small", "large", "search"), default="search")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true", help="generate the data again")
    parser.add_argument("--write-docs", action="store_true", help="update docs/PERFORMANCE.md")
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    parser.add_argument(
        "--paths", default="gin,rum", help="PostgreSQL: the full-text paths to time, in turn"
    )
    args = parser.parse_args()
    if args.database == "postgresql" and not args.database_url:
        parser.error("--database postgresql needs --database-url (or BENCH_DATABASE_URL)")
    env = run.environment(args)
    run.build(args, env)
    if args.database == "sqlite":
        results = [measure(env, args.rounds)]
    else:
        results = []
        for path in args.paths.split(","):
            if not set_rum_index(env, present=path == "rum") and path == "rum":
                print("No rum extension in the database: the RUM path is not timed.")
                continue
            results.append(measure(env, args.rounds, path))
    text = "\n\n".join(table(args.database, result) for result in results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.write_docs:
        run.put_in_docs(f"search:{args.database}", text)


if __name__ == "__main__":
    main()
