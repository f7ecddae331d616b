"""Realistic data volumes for the benchmarks: `flask --app bench.app bench-data --scale large`.

Loads organisations, users, communities, cases, contributions (with their search
entries), approaches, adoptions, meetings and notifications with bulk inserts (COPY on
PostgreSQL), into a migrated and seeded database that holds no cases yet. The same
seed gives the same data. See docs/PERFORMANCE.md for the scales and timings.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy import text as sql

from bench.benchdata import activity, bulk, cases, people
from bench.benchdata.scales import BENCH_EMAIL, BENCH_PASSWORD, SCALES
from bench.benchdata.text import Text
from community import search_ddl
from community.extensions import db
from community.models import Case, Community, Contribution, base
from community.seed import seed_organisations, seed_themes

TABLES = (
    "organisations",
    "users",
    "communities",
    "memberships",
    "cases",
    "contributions",
    "search_documents",
    "approaches",
    "adoptions",
    "meetings",
    "rsvps",
    "notifications",
)


class NotEmpty(Exception):
    """The database holds cases already: generated data goes into an empty one."""


def generate(
    scale_name: str, seed: int = 2026, report: Callable[[str], Any] = print
) -> dict[str, Any]:
    """Build the data set; returns the timings and the pages the load runner opens."""
    if db.session.scalar(select(func.count()).select_from(Case)):
        raise NotEmpty
    scale = SCALES[scale_name]
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    world = people.World(now=base.utcnow(), rng=rng, text=Text(rng))
    timings: dict[str, float] = {}

    def step(name: str, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = action()
        db.session.commit()
        timings[name] = round(time.perf_counter() - started, 1)
        report(f"{name}: {timings[name]} s")
        return result

    step("seed", lambda: (seed_organisations(), seed_themes()))
    step("organisations", lambda: people.organisations(world, scale))
    step("users", lambda: people.users(world, scale))
    step("communities and memberships", lambda: people.communities(world, scale))
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:  # one index build after the load beats updating it row by row
        db.session.execute(sql("DROP INDEX IF EXISTS ix_search_documents_tsv"))
        for statement in search_ddl.POSTGRES_WORDS_DROP[:2]:  # the word list: once, after
            db.session.execute(sql(statement))
    search = cases.SearchRows()
    rows = step("cases", lambda: cases.cases(world, scale, search))
    targets = cases.plan_contributions(world, scale, rows)
    step("contributions", lambda: cases.contributions(world, rows, search))
    library = step(
        "approaches and adoptions", lambda: activity.approaches(world, scale, rows, search)
    )
    step("meetings", lambda: activity.meetings(world, scale, search))
    step("notifications", lambda: activity.notifications(world, scale, rows))
    if postgres:
        db.session.execute(sql("SET maintenance_work_mem = '512MB'"))
        step("search index", lambda: db.session.execute(sql(search_ddl.POSTGRES_INDEX)))
        step("search words", lambda: db.session.execute(sql(search_ddl.POSTGRES_WORDS_FILL)))
        for statement in search_ddl.POSTGRES_WORDS[2:]:  # the triggers back
            db.session.execute(sql(statement))
    step("sequences", lambda: bulk.fix_sequences(db.metadata.tables[t] for t in TABLES))
    step("analyze", bulk.analyze)
    return {
        "scale": scale_name,
        "seconds": round(sum(timings.values()), 1),
        "timings": timings,
        "login": {"email": BENCH_EMAIL, "password": BENCH_PASSWORD},
        "pages": pages(targets, library),
    }


def pages(targets: cases.Targets, library: list[int]) -> dict[str, str]:
    """The key pages for the bench user, as paths."""

    def case_path(row: cases.CaseRow | None) -> str:
        if row is None:
            return ""
        slug = db.session.scalar(select(Community.slug).where(Community.id == row.community_id))
        return url_for("cases.show_case", slug=slug, case_id=row.id)

    community = targets.case_200.community_id if targets.case_200 else 0
    slug = db.session.scalar(select(Community.slug).where(Community.id == community)) or ""
    counts = {
        row.id: db.session.scalar(
            select(func.count()).select_from(Contribution).where(Contribution.case_id == row.id)
        )
        for row in (targets.case_50, targets.case_200)
        if row is not None
    }
    assert all(count in (50, 200) for count in counts.values()), counts
    return {
        "home": url_for("pages.home"),
        "directory": url_for("communities.list_communities"),
        "community": url_for("communities.show_community", slug=slug) if slug else "",
        "case_50": case_path(targets.case_50),
        "case_200": case_path(targets.case_200),
        "library": url_for("approaches.list_approaches"),
        "approach": url_for("approaches.show_approach", approach_id=library[0]) if library else "",
        "notifications": url_for("notifications.list_notifications"),
        "search_2": url_for("search.search_page", q="leegstand wijkteam"),
        "search_5": url_for("search.search_page", q="gemeente wijkteam bewoner aanpak corporatie"),
    }
