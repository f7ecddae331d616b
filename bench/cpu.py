"""In-process CPU comparison: Leerkring's pages against the typical application's page.

    .venv/bin/python bench/cpu.py --database sqlite --scale large [--rounds 100]
    .venv/bin/python bench/cpu.py --database postgresql --database-url postgresql://... \
        --scale large

Leerkring, the typical application (bench/typical_app.py) and the cookie-only reference
(bench/reference_app.py) run in ONE process, each through its Flask test client, on the
same database and with the same logged-in session (Leerkring's login form; its signed
cookie is given to the other two, and each client then keeps the cookies its app sets, as a
browser would). After a warm-up, every round requests the typical page, then each of
Leerkring's pages followed by the reference page at that page's byte size (A, B, A, B …),
so a busy moment on a shared machine falls on all of them alike. The figure per page is
the median `time.process_time()` per request: the CPU this process spends, whatever else
runs on the machine. On PostgreSQL the database server's own CPU is another process's and
not counted (for any of the three apps); on SQLite it is.

`bench/run.py` runs this before the load test; alone it needs a data set `bench/run.py`
has built (`--build-only`).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/cpu.py`: import this checkout's packages
    sys.path.insert(0, str(ROOT))

# The page the others are held against, and issue 14's targets for the ratio to it.
TYPICAL = "typical"
CPU_TARGET = {"floor": 0.8, "case_50": 2.0, "case_200": 5.0}
CASE_ID = re.compile(r"/cases/(\d+)")


def typical_path(data: dict[str, Any]) -> str:
    """The typical app's page: the 50 newest contributions of the bench user's case of 50."""
    found = CASE_ID.search(data["pages"]["case_50"])
    assert found, data["pages"]["case_50"]
    return f"/cases/{found[1]}"


def clients(env: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
    """Test clients of the three apps, logged in with one Leerkring session."""
    from bench import reference_app, run, typical_app

    os.environ.update(env)
    from community import create_app

    leerkring = create_app()
    client = leerkring.test_client()
    run.login(client, data["login"])
    typical, reference = (
        module.create_app(
            env["DATABASE_URL"],
            env["SECRET_KEY"],
            session_cookie=leerkring.config["SESSION_COOKIE_NAME"],
        ).test_client()
        for module in (typical_app, reference_app)
    )
    share_cookies(leerkring, client, typical, reference)
    return {"leerkring": client, "typical": typical, "reference": reference}


def share_cookies(leerkring: Any, source: Any, *clients: Any) -> None:
    """Give other test clients the session (and remember) cookie of `source`."""
    for key in ("SESSION_COOKIE_NAME", "REMEMBER_COOKIE_NAME"):
        cookie = source.get_cookie(leerkring.config[key])
        if cookie is not None:
            for client in clients:
                client.set_cookie(cookie.key, cookie.value)


def _timed(client: Any, path: str) -> tuple[float, int]:
    started = time.process_time()
    response = client.get(path)
    size = len(response.get_data())
    response.close()
    spent = time.process_time() - started
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code} in the CPU comparison")
    return spent, size


def measure(
    env: dict[str, str], data: dict[str, Any], rounds: int = 100, warmup: int = 10
) -> dict[str, Any]:
    from bench import run

    apps = clients(env, data)
    pages = run.pages(data)
    sizes = {name: _timed(apps["leerkring"], path)[1] for name, path in pages.items()}
    plan = [(TYPICAL, apps["typical"], typical_path(data))]
    for name, path in pages.items():
        plan.append((name, apps["leerkring"], path))
        plan.append((f"ref:{name}", apps["reference"], f"/?bytes={sizes[name]}"))
    times: dict[str, list[float]] = {label: [] for label, _, _ in plan}
    bytes_: dict[str, int] = {}
    for number in range(warmup + rounds):
        for label, client, path in plan:
            spent, size = _timed(client, path)
            if number >= warmup:
                times[label].append(spent)
                bytes_[label] = size
        if number % 10 == 0:
            gc.collect()  # between rounds, not inside a timed request
    ms = {label: statistics.median(values) * 1000 for label, values in times.items()}
    rows = []
    for name, path in pages.items():
        rows.append(
            {
                "page": name,
                "path": path,
                "ms": ms[name],
                "ratio": ms[name] / ms[TYPICAL],
                "target": CPU_TARGET.get(name),
                "reference_ms": ms[f"ref:{name}"],
                "reference_ratio": ms[name] / ms[f"ref:{name}"],
                "bytes": bytes_[name],
                "reference_bytes": bytes_[f"ref:{name}"],
            }
        )
    return {
        "rounds": rounds,
        "warmup": warmup,
        "typical": {"path": typical_path(data), "ms": ms[TYPICAL], "bytes": bytes_[TYPICAL]},
        "rows": rows,
    }


def table(result: dict[str, Any], database: str, scale: str, machine: str) -> str:
    typical = result["typical"]
    lines = [
        f"Database: **{database}**, scale **{scale}**; {machine}. In one process, "
        f"{result['rounds']} interleaved rounds after {result['warmup']} warm-up rounds; "
        "median CPU time (`time.process_time()`) per request through the Flask test client.",
        "",
        f"Typical page (`bench/typical_app.py`, `{typical['path']}`: 50 rows, "
        f"{typical['bytes'] / 1024:.0f} KB): **{typical['ms']:.2f} ms**.",
        "",
        "| Page | CPU ms | × typical page (target) | reference at the same size, ms | "
        "× reference | KB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        name = f"*{r['page']}* (`{r['path']}`)" if r["page"] == "floor" else r["page"]
        verdict = ""
        if r["target"] is not None:
            ok = "✓" if r["ratio"] <= r["target"] else "✗"
            verdict = f" (≤ {r['target']:g}) {ok}"
        lines.append(
            f"| {name} | {r['ms']:.2f} | {r['ratio']:.2f}{verdict} | {r['reference_ms']:.2f} "
            f"| {r['reference_ratio']:.1f} | {r['bytes'] / 1024:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    from bench import run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scale", choices=("small", "large", "search"), default="large")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--write-docs", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    if args.database == "postgresql" and not args.database_url:
        parser.error("--database postgresql needs --database-url (or BENCH_DATABASE_URL)")
    env = run.environment(args)
    data = run.existing(env)
    result = measure(env, data, args.rounds, args.warmup)
    text = table(result, args.database, args.scale, run.machine())
    print(text)
    if args.write_docs:
        run.put_in_docs(f"cpu:{args.database}:{args.scale}", text)


if __name__ == "__main__":
    main()
