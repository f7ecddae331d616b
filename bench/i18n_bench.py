"""What translating costs per page: in-process timings of the heaviest pages, per language.

    .venv/bin/python bench/i18n_bench.py [--scale small] [--rounds 30] [--profile]

Builds (once) the benchmark data set on SQLite the way bench/run.py does, logs in as
the bench user through the login form, and renders the case page with 200
contributions, the members page of that community and the privacy statement (the
floor) `--rounds` times each, in Dutch and in English (the user's own setting), through
the Flask test client in one process. Prints the mean and median per page and the
median CPU time of this process (less disturbed by the rest of a shared machine), and
per request the catalogue look-ups (babel's `ugettext`) and how often Flask-Babel
resolved locale and catalogue (`get_translations`, the costly part).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # noqa: E402 - bench/run.py, next to this file


def _calls(profile: cProfile.Profile, names: tuple[str, ...], file_end: str) -> int:
    stats = pstats.Stats(profile)
    total = 0
    for (filename, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        if name in names and filename.endswith(file_end):
            total += row[1]
    return total


def measure(client: Any, path: str, rounds: int) -> dict[str, float]:
    client.get(path)  # warm: templates compiled, the browser's session registered
    timings, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    profile = cProfile.Profile()
    profile.enable()
    client.get(path)
    profile.disable()
    return {
        "mean": statistics.fmean(timings),
        "median": statistics.median(timings),
        # CPU time of this process only: less disturbed by other processes on the machine
        "cpu": statistics.median(cpu),
        # the catalogue's own lookups (babel's Translations.ugettext)
        "lookups": _calls(profile, ("gettext", "ugettext"), "gettext.py"),
        # Flask-Babel resolving locale and catalogue (its Domain.get_translations)
        "resolved": _calls(profile, ("get_translations",), "flask_babel/__init__.py"),
    }


def per_call(app: Any) -> None:
    """Microseconds per call (best of 7 runs of 20,000), inside an English request."""
    import timeit

    import flask_babel

    from community import i18n, labels

    lazy = flask_babel.lazy_gettext("Opslaan")
    calls = {
        "flask_babel.gettext": lambda: flask_babel.gettext("Opslaan"),
        "community.i18n.gettext (per-locale cache)": lambda: i18n.gettext("Opslaan"),
        "str(lazy_gettext(...))": lambda: str(lazy),
        "community.labels.phase_label": lambda: labels.phase_label("advice"),
    }
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for name, call in calls.items():
            best = min(timeit.repeat(call, number=20_000, repeat=7)) / 20_000 * 1e6
            print(f"{name:<45} {best:6.2f} us per call")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print the top of a profile")
    parser.add_argument("--per-call", action="store_true", help="time single calls too")
    args = parser.parse_args()
    args.database = "sqlite"
    env = run.environment(args)
    data = run.build(args, env)
    os.environ.update(env)

    from sqlalchemy import select, update

    from community import create_app
    from community.extensions import db
    from community.models import Case, Community, User

    app = create_app()
    client = app.test_client()
    run.login(client, data["login"])
    case_200 = data["pages"]["case_200"]
    with app.app_context():
        case_id = int(case_200.rstrip("/").split("/")[-1])
        slug = db.session.scalar(
            select(Community.slug)
            .join(Case, Case.community_id == Community.id)
            .where(Case.id == case_id)
        )
    if args.per_call:
        per_call(app)
    paths = {"case_200": case_200, "members": f"/c/{slug}/members", "floor": "/privacy"}
    print(f"{args.rounds} rounds per page, scale {args.scale}, SQLite, in-process")
    heads = ("mean ms", "median ms", "cpu ms", "lookups", "resolved")
    print(f"{'page':<10} {'lang':<5} " + " ".join(f"{h:>9}" for h in heads))
    for language in ("nl", "en"):
        with app.app_context():
            db.session.execute(
                update(User).where(User.email == data["login"]["email"]).values(locale=language)
            )
            db.session.commit()
        for name, path in paths.items():
            figures = measure(client, path, args.rounds)
            print(
                f"{name:<10} {language:<5} {figures['mean']:>9.1f} {figures['median']:>9.1f} "
                f"{figures['cpu']:>9.1f} "
                f"{figures['lookups']:>9.0f} {figures['resolved']:>9.0f}"
            )
            if args.profile and name == "case_200":
                profile = cProfile.Profile()
                profile.enable()
                client.get(path)
                profile.disable()
                pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
