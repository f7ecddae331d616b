"""Load runner: the key pages under load with gunicorn and wrk, as ratios to two yardsticks.

    .venv/bin/python bench/run.py --database sqlite --scale large
    .venv/bin/python bench/run.py --database postgresql --database-url postgresql://... \
        --scale large

1. Builds the data set once per database and scale (`flask db upgrade`, `flask bench-data`)
   in bench/.work/ (SQLite) or the given PostgreSQL database (dropped and rebuilt unless
   the targets file of an earlier run is there; `--rebuild` forces it).
2. Counts SQL queries and bytes per page in-process (Flask test client, same database),
   and compares CPU time per request in one process with the typical application
   (bench/cpu.py).
3. Starts Leerkring, the cookie-only reference app (bench/reference_app.py) and the typical
   application (bench/typical_app.py) with gunicorn, 2 sync workers each, logs in through
   the login form, and drives every page with wrk (installed from Debian when missing)
   through bench/wrk_cookies.lua, which keeps the cookies the responses set, as a browser
   would: fixed duration and connections, three repetitions, medians; after each page the
   reference page at the same byte size and the typical page.
4. Prints the tables and, with --write-docs, puts them into docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py`: import this checkout's packages
    sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / ".work"
BIN = Path(sys.executable).parent
SECRET = "bench-secret-key-not-for-production"  # noqa: S105
WRK_SCRIPT = ROOT / "bench" / "wrk_cookies.lua"
# One browser: the login and every request under load send the same User-Agent, so
# Flask-Login's session protection sees the browser that logged in.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) leerkring-bench"
# Issue 14's targets under load: throughput as a share of the cookie-only reference at the
# same byte size (every key page, the floor higher), and of the typical page (case_50).
REFERENCE_TARGET = {"floor": 0.75}
DEFAULT_TARGET = 0.50
TYPICAL_TARGET = {"case_50": 0.40}
# Not a key page: the lightest page a logged-in member sees (the privacy statement: the
# layout, the login check and the header's counts around static text). Its ratio is the
# ceiling for every page's ratio, since every page does at least this much.
FLOOR = {"floor": "/privacy"}


def pages(data: dict[str, Any]) -> dict[str, str]:
    return {**data["pages"], **FLOOR}


CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _sqlalchemy_url(raw: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw.removeprefix(prefix)
    return raw


def environment(args: argparse.Namespace) -> dict[str, str]:
    instance = WORK / f"{args.database}-{args.scale}"
    instance.mkdir(parents=True, exist_ok=True)
    url = (
        f"sqlite:///{instance / 'bench.sqlite3'}"
        if args.database == "sqlite"
        else _sqlalchemy_url(args.database_url)
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "LEERKRING_INSTANCE": str(instance),
        "LEERKRING_ENV": "development",  # bench-data (known passwords) runs nowhere else
        "MAIL_BACKEND": "memory",
        "RATELIMIT_ENABLED": "0",  # one login, then only GETs: nothing to limit
        "PYTHONPATH": str(ROOT),  # subprocesses import this checkout, not the installed one
    }


def flask(env: dict[str, str], *command: str) -> None:
    subprocess.run(  # noqa: S603 - our own flask command
        [str(BIN / "flask"), "--app", "bench.app", *command], env=env, cwd=ROOT, check=True
    )


def existing(env: dict[str, str]) -> dict[str, Any]:
    """The key pages of a data set built before (`--build-only`)."""
    targets = Path(env["LEERKRING_INSTANCE"]) / "targets.json"
    if not targets.exists():
        raise SystemExit(f"no data set in {targets.parent}: run bench/run.py --build-only")
    return dict(json.loads(targets.read_text()))


def build(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    targets = Path(env["LEERKRING_INSTANCE"]) / "targets.json"
    if targets.exists() and not args.rebuild:
        flask(env, "db", "upgrade")  # indexes added since the data was built
        return dict(json.loads(targets.read_text()))
    if args.database == "sqlite":
        Path(env["LEERKRING_INSTANCE"], "bench.sqlite3").unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine, text

        with create_engine(env["DATABASE_URL"]).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    flask(env, "db", "upgrade")
    started = time.perf_counter()
    flask(env, "bench-data", "--scale", args.scale, "--targets", str(targets))
    print(f"data generated in {time.perf_counter() - started:.0f} s")
    return dict(json.loads(targets.read_text()))


def in_process(env: dict[str, str], data: dict[str, Any]) -> dict[str, dict[str, int]]:
    """SQL queries, bytes, and bytes transferred with gzip (page and its CSS) per page."""
    os.environ.update(env)
    from sqlalchemy import event

    from community import create_app
    from community.extensions import db

    app = create_app()
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    login(client, data["login"])
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    figures = {}
    for name, path in pages(data).items():
        client.get(path)  # warm: the first request of a worker loads templates
        statements.clear()
        response = client.get(path)
        queries = len(statements)
        assert response.status_code == 200, (name, response.status_code)
        body = response.get_data()
        css = [
            client.get(href.decode(), headers={"Accept-Encoding": "gzip"}).get_data()
            for href in re.findall(rb'<link rel="stylesheet" href="([^"]+)">', body)
        ]
        compressed = client.get(path, headers={"Accept-Encoding": "gzip"}).get_data()
        figures[name] = {
            "queries": queries,
            "bytes": len(body),
            # what a browser fetches on a first visit: the page and its stylesheets, gzipped
            "transferred": len(compressed) + sum(len(c) for c in css),
        }
    return figures


def login(client: Any, account: dict[str, str]) -> None:
    """Log a Flask test client in through Leerkring's login form."""
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_TOKEN.search(page)
    assert token, "no CSRF token on the login page"
    response = client.post(
        "/login",
        data={"email": account["email"], "password": account["password"], "csrf_token": token[1]},
    )
    assert response.status_code == 302, response.status_code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], app: str, port: int) -> Any:
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", f"127.0.0.1:{port}", app,
         "--log-level", "warning"],
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def workers(master: int) -> list[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def peak_rss_mb(master: int) -> float:
    """The highest peak resident set size (VmHWM) among the gunicorn workers, in MB."""
    peaks = []
    for pid in workers(master):
        status = Path(f"/proc/{pid}/status").read_text()
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(int(found[1]) / 1024)
    return round(max(peaks, default=0.0), 1)


def session_cookie(port: int, account: dict[str, str]) -> str:
    """Log in through the real login form; returns the Cookie header value."""
    base = f"http://127.0.0.1:{port}"
    first = urllib.request.Request(base + "/login", headers={"User-Agent": USER_AGENT})  # noqa: S310
    with urllib.request.urlopen(first) as response:  # noqa: S310
        cookies = _cookies(response.headers.get_all("Set-Cookie") or [])
        page = response.read().decode()
    token = CSRF_TOKEN.search(page)
    assert token, "no CSRF token on the login page"
    form = {"email": account["email"], "password": account["password"], "csrf_token": token[1]}
    request = urllib.request.Request(  # noqa: S310
        base + "/login",
        data=urllib.parse.urlencode(form).encode(),
        headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "User-Agent": USER_AGENT,
        },
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request)
        raise AssertionError("login did not redirect")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise AssertionError(f"login answered {redirect.code}") from None
        cookies.update(_cookies(redirect.headers.get_all("Set-Cookie") or []))
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(headers: list[str]) -> dict[str, str]:
    return dict(h.split(";", 1)[0].split("=", 1) for h in headers)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it from Debian (apt-get install wrk)")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)  # noqa: S607
    return shutil.which("wrk") or "wrk"


def wrk(binary: str, url: str, cookie: str, duration: int, connections: int) -> dict[str, float]:
    """One wrk run; the Lua script starts from `cookie` and keeps what responses set."""
    result = subprocess.run(  # noqa: S603
        [binary, "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--latency",
         "-s", str(WRK_SCRIPT), url, "--", cookie, USER_AGENT],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = result.stdout
    refused = re.search(r"^non-200 responses: (\d+)", out, re.M)
    if "Non-2xx or 3xx responses" in out or refused is None or int(refused[1]):
        # 3xx counts as success for wrk; a logged-out redirect to /login must not.
        raise SystemExit(f"{url}: error responses under load\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    latency = {
        p: _ms(re.search(rf"^\s+{p}%\s+([\d.]+\w+)", out, re.M)[1])  # type: ignore[index]
        for p in ("50", "99")
    }
    updates = re.search(r"^cookies set: (\d+)", out, re.M)
    return {
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "cookies_set": float(updates[1]) if updates else 0.0,
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def measure(args: argparse.Namespace, env: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
    from bench import cpu

    binary = ensure_wrk()
    figures = in_process(env, data)
    cpu_result = None
    if args.cpu_rounds:
        print(f"in-process CPU comparison: {args.cpu_rounds} rounds", flush=True)
        cpu_result = cpu.measure(env, data, args.cpu_rounds)
    app_port, ref_port, typical_port = free_port(), free_port(), free_port()
    typical_url = f"http://127.0.0.1:{typical_port}{cpu.typical_path(data)}"
    runs: dict[str, list[dict[str, float]]] = {}
    rss: dict[str, float] = {}
    with (
        gunicorn(env, "wsgi:app", app_port) as app,
        gunicorn(env, "bench.reference_app:create_app()", ref_port) as reference,
        gunicorn(env, "bench.typical_app:create_app()", typical_port) as typical,
    ):
        cookie = session_cookie(app_port, data["login"])
        for repetition in range(args.repetitions):
            for name, path in pages(data).items():
                url = f"http://127.0.0.1:{app_port}{path}"
                page = wrk(binary, url, cookie, args.duration, args.connections)
                ref_url = f"http://127.0.0.1:{ref_port}/?bytes={figures[name]['bytes']}"
                ref = wrk(binary, ref_url, cookie, args.duration, args.connections)
                typ = wrk(binary, typical_url, cookie, args.duration, args.connections)
                runs.setdefault(name, []).append(page)
                runs.setdefault("ref:" + name, []).append(ref)
                runs.setdefault("typical:" + name, []).append(typ)
                rss[name] = peak_rss_mb(app.pid)
                print(
                    f"[{repetition + 1}/{args.repetitions}] {name}: {page['rps']:.0f} req/s "
                    f"(reference {ref['rps']:.0f}, typical {typ['rps']:.0f}), "
                    f"p50 {page['p50']:.1f} ms, p99 {page['p99']:.1f} ms, "
                    f"cookies set {page['cookies_set']:.0f}",
                    flush=True,
                )
        peak = peak_rss_mb(app.pid)
        reference_peak = peak_rss_mb(reference.pid)
        typical_peak = peak_rss_mb(typical.pid)
    rows = []
    for name, path in pages(data).items():
        page = {k: statistics.median(r[k] for r in runs[name]) for k in ("rps", "p50", "p99")}
        ref_rps = statistics.median(r["rps"] for r in runs["ref:" + name])
        typical_rps = statistics.median(r["rps"] for r in runs["typical:" + name])
        rows.append(
            {"page": name, "path": path, **page,
             "reference_rps": ref_rps,
             "ratio": page["rps"] / ref_rps if ref_rps else 0.0,
             "target": REFERENCE_TARGET.get(name, DEFAULT_TARGET),
             "typical_rps": typical_rps,
             "typical_ratio": page["rps"] / typical_rps if typical_rps else 0.0,
             "typical_target": TYPICAL_TARGET.get(name),
             "cookies_set": max(r["cookies_set"] for r in runs[name]),
             **figures[name], "rss_mb": rss[name]}
        )  # fmt: skip
    return {
        "database": args.database,
        "scale": args.scale,
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "connections": args.connections,
            "repetitions": args.repetitions,
            "workers": 2,
        },
        "rows": rows,
        "cpu": cpu_result,
        "peak_rss_mb": peak,
        "reference_peak_rss_mb": reference_peak,
        "typical_peak_rss_mb": typical_peak,
        "generation": data.get("timings", {}),
        "generation_seconds": data.get("seconds"),
    }


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory / 1024 / 1024:.0f} GB RAM, Linux "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def table(result: dict[str, Any]) -> str:
    lines = [
        f"Database: **{result['database']}**, scale **{result['scale']}**; {result['machine']}. "
        f"wrk: {result['settings']['connections']} connections, "
        f"{result['settings']['duration_s']} s per run, {result['settings']['repetitions']} "
        "repetitions (medians), keeping the cookies the responses set; gunicorn 2 sync "
        "workers per app. After each page: the cookie-only reference at the same byte size, "
        "and the typical page.",
        "",
        "| Page | req/s | reference req/s | × reference (target) | typical req/s "
        "| × typical (target) | p50 ms | p99 ms | queries | KB | KB on the wire with CSS "
        "| peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        name = f"*{r['page']}* (`{r['path']}`)" if r["page"] == "floor" else r["page"]
        ok = "✓" if r["ratio"] >= r["target"] else "✗"
        typical = f"{r['typical_ratio']:.2f}"
        if r["typical_target"] is not None:
            met = "✓" if r["typical_ratio"] >= r["typical_target"] else "✗"
            typical += f" (≥ {r['typical_target']:.2f}) {met}"
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['reference_rps']:.0f} | "
            f"{r['ratio']:.2f} (≥ {r['target']:.2f}) {ok} | {r['typical_rps']:.0f} | "
            f"{typical} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['queries']} | {r['bytes'] / 1024:.0f} | {r['transferred'] / 1024:.0f} | "
            f"{r['rss_mb']:.0f} |"
        )
    cookies = sum(int(r["cookies_set"]) for r in result["rows"])
    lines += [
        "",
        f"Peak RSS per worker after the run: {result['peak_rss_mb']:.0f} MB "
        f"(reference app: {result['reference_peak_rss_mb']:.0f} MB, typical app: "
        f"{result['typical_peak_rss_mb']:.0f} MB). Data generated in "
        f"{result['generation_seconds']} s. Cookies set by Leerkring's responses under load "
        f"(and kept): {cookies} (most in one run, summed over the pages). *floor* is the "
        "lightest page a logged-in member sees (layout, login check and header counts "
        "around static text); every page does at least its work.",
    ]
    return "\n".join(lines)


def result_path(database: str, scale: str) -> Path:
    """Where a run keeps its figures, for the summary of both databases."""
    return WORK / f"result-{database}-{scale}.json"


def _verdict(met: bool, figure: str) -> str:
    return f"met: {figure}" if met else f"**not met**: {figure}"


def _cpu_row(result: dict[str, Any], page: str) -> str:
    rows = {r["page"]: r for r in (result.get("cpu") or {}).get("rows", [])}
    if page not in rows:
        return "not measured"
    row = rows[page]
    return _verdict(row["ratio"] <= row["target"], f"{row['ratio']:.2f}×")


def _load_row(result: dict[str, Any], pages: list[str] | None, key: str) -> str:
    rows = [r for r in result["rows"] if pages is None or r["page"] in pages]
    if not rows:
        return "not measured"
    target = "typical_target" if key == "typical_ratio" else "target"
    met = all(r[key] >= r[target] for r in rows)
    low, high = min(r[key] for r in rows), max(r[key] for r in rows)
    figure = f"{low:.0%}" if len(rows) == 1 else f"{low * 100:.0f}–{high:.0%}"
    return _verdict(met, figure.replace("%", " %"))


SUMMARY_ROWS: list[tuple[str, Any]] = [
    (
        "Case page, 50 contributions: CPU per request ≤ 2× the typical page's (in process)",
        lambda r: _cpu_row(r, "case_50"),
    ),
    (
        "Case page, 200 contributions: CPU ≤ 5× the typical page's",
        lambda r: _cpu_row(r, "case_200"),
    ),
    (
        "Lightest logged-in page (*floor*): CPU ≤ 0.8× the typical page's",
        lambda r: _cpu_row(r, "floor"),
    ),
    (
        "Case page, 50 contributions, under load: ≥ 40 % of the typical page's throughput",
        lambda r: _load_row(r, ["case_50"], "typical_ratio"),
    ),
    (
        "*floor* under load: ≥ 75 % of the cookie-only reference's throughput",
        lambda r: _load_row(r, ["floor"], "ratio"),
    ),
    (
        "Every other key page under load: ≥ 50 % of the reference at the same size",
        lambda r: _load_row(r, [x["page"] for x in r["rows"] if x["page"] != "floor"], "ratio"),
    ),
    (
        "≤ 12 SQL queries per key page (the same at two sizes: `tests/test_page_queries.py`)",
        lambda r: _verdict(
            max(x["queries"] for x in r["rows"]) <= 12,
            f"{min(x['queries'] for x in r['rows'])}–{max(x['queries'] for x in r['rows'])}",
        ),
    ),
    (
        "Peak RSS per gunicorn worker ≤ 150 MB",
        lambda r: _verdict(r["peak_rss_mb"] <= 150, f"{r['peak_rss_mb']:.0f} MB"),
    ),
]


def summary(scale: str) -> str:
    """Issue 14's targets that the load runner measures, from the last run per database."""
    found = {
        database: json.loads(result_path(database, scale).read_text())
        for database in ("sqlite", "postgresql")
        if result_path(database, scale).exists()
    }
    lines = [
        "| Target (load runner, `bench/run.py`) | SQLite | PostgreSQL 15 |",
        "|---|---|---|",
    ]
    for label, figure in SUMMARY_ROWS:
        cells = [
            figure(found[database]) if database in found else "not measured"
            for database in ("sqlite", "postgresql")
        ]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def write_docs(result: dict[str, Any], text: str) -> None:
    from bench import cpu

    put_in_docs(f"bench:{result['database']}:{result['scale']}", text)
    if result["cpu"] is not None:
        put_in_docs(
            f"cpu:{result['database']}:{result['scale']}",
            cpu.table(result["cpu"], result["database"], result["scale"], result["machine"]),
        )
    if result["scale"] == "large":  # the summary at the top is about `large`
        put_in_docs("targets", summary("large"))


def put_in_docs(marker: str, text: str) -> None:
    """Replace the block between `<!-- marker -->` and `<!-- /marker -->` in
    docs/PERFORMANCE.md with `text` (appended at the end the first time)."""
    path = ROOT / "docs" / "PERFORMANCE.md"
    content = path.read_text()
    start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
    block = f"{start}\n{text}\n{end}"
    if start in content:
        pattern = re.escape(start) + ".*?" + re.escape(end)
        content = re.sub(pattern, lambda _: block, content, flags=re.S)
    else:
        content = content.rstrip() + "\n\n" + block + "\n"
    path.write_text(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--scale", choices=("small", "large", "search"), default="large")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument(
        "--cpu-rounds", type=int, default=100, help="in-process CPU comparison rounds (0: none)"
    )
    parser.add_argument("--rebuild", action="store_true", help="generate the data again")
    parser.add_argument("--build-only", action="store_true", help="generate the data, no load")
    parser.add_argument("--write-docs", action="store_true", help="update docs/PERFORMANCE.md")
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args()
    if args.database == "postgresql" and not args.database_url:
        parser.error("--database postgresql needs --database-url (or BENCH_DATABASE_URL)")
    env = environment(args)
    data = build(args, env)
    if args.build_only:
        return
    result = measure(args, env, data)
    text = table(result)
    if result["cpu"] is not None:
        from bench import cpu

        print(cpu.table(result["cpu"], args.database, args.scale, result["machine"]) + "\n")
    print(text)
    result_path(args.database, args.scale).write_text(json.dumps(result, indent=2))
    print("\n" + summary(args.scale))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if args.write_docs:
        write_docs(result, text)


if __name__ == "__main__":
    main()
