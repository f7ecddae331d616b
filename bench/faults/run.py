"""The fault suite: steady traffic through the cluster, one fault at a time, then the checker.

    python -m bench.faults.run                       # every scenario built so far
    python -m bench.faults.run --short               # CI: F0, F1, F4, F10 at small load
    python -m bench.faults.run --scenarios F0,F4 --users 20 --report docs/RELIABILITY.md

Needs the cluster (`make cluster`); CLUSTER_DIR as for deploy/cluster.sh. Exits non-zero on
any violation. All traffic stays on loopback; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

from bench.faults import checker, races
from bench.faults.client import Browser
from bench.faults.cluster import Cluster
from bench.faults.driver import WRITES_AND_READS, Operation, Traffic
from bench.faults.fixture import create

RECOVERY_SECONDS = 30


@dataclass
class Result:
    scenario: str
    fault: str
    users: int
    requests: int = 0
    acknowledged_writes: int = 0
    lost: int = 0
    errors_during: int = 0
    errors_after: int = 0
    recovery_seconds: float = 0.0
    p95_ms: dict[str, float] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.violations


def _kill_workers(cluster: Cluster, stop: threading.Event, rng: random.Random) -> None:
    """F1: kill -9 a random gunicorn worker every 10–20 s."""
    while not stop.wait(rng.uniform(10, 20)):
        workers = cluster.node_workers()
        if workers:
            cluster.kill(rng.choice(workers))


def _restart_postgres(cluster: Cluster, stop: threading.Event, rng: random.Random) -> None:
    """F4: PostgreSQL `restart -m fast` under load."""
    log = str(cluster.directory / "pg" / "postgres.log")
    cluster.postgres("restart", "-m", "fast", "-w", "-t", "60", "-l", log)


SCENARIOS = {
    "F0": ("none", None),
    "F1": ("kill -9 a random gunicorn worker every 10–20 s", _kill_workers),
    "F4": ("PostgreSQL restart -m fast under load", _restart_postgres),
    "F10": ("races: 20 parallel approvals, two editors, double submit, leave + remove", "races"),
}
SHORT = ("F0", "F1", "F4", "F10")


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _is_error(operation: Operation) -> bool:
    return operation.status is None or operation.status >= 500


def run_scenario(
    cluster: Cluster,
    name: str,
    users: int,
    warmup: float,
    fault_seconds: float,
    settle: float,
    seed: int,
) -> Result:
    description, action = SCENARIOS[name]
    result = Result(name, description, users)
    fixture = create(members=users + 2, candidates=max(4, users // 2) + 1, cases=10)
    race_candidate = fixture.candidates[0]
    fixture.candidates = fixture.candidates[1:]
    traffic = Traffic(fixture, "127.0.0.1", cluster.https_port, cluster.cafile, users, seed)
    rng = random.Random(seed)  # noqa: S311 - fault timing, not secrets
    threads = traffic.start()
    time.sleep(warmup)
    stop_fault = threading.Event()
    if action == "races":

        def make_browser() -> Browser:
            return Browser("127.0.0.1", cluster.https_port, cluster.cafile)

        result.violations += races.run(fixture, make_browser, race_candidate)
    elif callable(action):
        injector = threading.Thread(target=action, args=(cluster, stop_fault, rng), daemon=True)
        injector.start()
        time.sleep(fault_seconds) if action is _kill_workers else injector.join(fault_seconds + 90)
        stop_fault.set()
        injector.join(90)
    else:
        time.sleep(fault_seconds)
    fault_end = time.monotonic()
    time.sleep(settle)
    traffic.stop.set()
    for thread in threads:
        thread.join(120)
    operations = list(traffic.operations)
    result.requests = len(operations)
    result.acknowledged_writes = sum(
        1 for o in operations if o.kind in checker.WRITES and o.acknowledged
    )
    errors = [o for o in operations if _is_error(o)]
    result.errors_during = sum(1 for o in errors if o.started <= fault_end)
    after = [o for o in errors if o.started > fault_end]
    result.errors_after = len(after)
    result.recovery_seconds = round(max((o.ended - fault_end for o in after), default=0.0), 1)
    if name == "F0" and errors:
        result.violations.append(
            f"F0: {len(errors)} errors without a fault: {errors[0].error or errors[0].status}"
        )
    late = [o for o in after if o.started > fault_end + RECOVERY_SECONDS]
    if late:
        result.violations.append(
            f"{len(late)} errors more than {RECOVERY_SECONDS} s after the fault ended"
        )
    for kind in WRITES_AND_READS:
        times = [
            o.ended - o.started
            for o in operations
            if o.kind == kind and o.status == (200 if kind in ("read", "search") else 302)
        ]
        if times:
            result.p95_ms[kind] = round(_percentile(times, 0.95) * 1000, 1)
    findings = checker.check(fixture, operations, cluster.https_port, cluster.cafile)
    result.lost = sum(1 for v in findings.violations if v.endswith(", lost"))
    result.violations += findings.violations
    return result


def report(results: list[Result], path: str) -> None:
    from bench.faults.reliability_doc import write

    write(results, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--short", action="store_true", help="CI: F0, F1, F4, F10 at small load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--fault-seconds", type=float, default=45)
    parser.add_argument("--settle", type=float, default=35)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--report", help="write the table into this Markdown file (docs/RELIABILITY.md)"
    )
    parser.add_argument("--json", help="write the results as JSON here")
    arguments = parser.parse_args(argv)
    names = list(SHORT) if arguments.short else arguments.scenarios.split(",")
    if arguments.short:
        arguments.users = min(arguments.users, 8)
        arguments.warmup, arguments.fault_seconds, arguments.settle = 5, 25, 10
    cluster = Cluster.from_environment()
    cluster.use_settings()
    results = []
    for name in names:
        print(f"== {name}: {SCENARIOS[name][0]} ({arguments.users} users)", flush=True)
        result = run_scenario(
            cluster,
            name,
            arguments.users,
            arguments.warmup,
            arguments.fault_seconds,
            arguments.settle,
            arguments.seed,
        )
        results.append(result)
        print(
            f"   {result.requests} requests, {result.acknowledged_writes} acknowledged writes, "
            f"lost {result.lost}, errors {result.errors_during} during / {result.errors_after} after, "
            f"recovered in {result.recovery_seconds} s, p95 {result.p95_ms}",
            flush=True,
        )
        for violation in result.violations[:20]:
            print(f"   VIOLATION {violation}", flush=True)
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as handle:
            json.dump([asdict(r) for r in results], handle, indent=1)
    if arguments.report:
        report(results, arguments.report)
    failed = [r.scenario for r in results if not r.passed]
    print("== all scenarios passed" if not failed else f"== FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
