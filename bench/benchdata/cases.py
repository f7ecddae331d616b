"""Benchmark data, part two: cases, their contributions and their search entries."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bench.benchdata import bulk
from bench.benchdata.people import World
from bench.benchdata.scales import Scale
from community.extensions import db
from community.models import Case, Contribution, SearchDocument
from community.search import tags_for

PHASE_WEIGHTS = {"draft": 4, "questions": 18, "advice": 20, "reflection": 12, "closed": 46}
CHUNK = 20_000
SEARCH_COLUMNS = (
    "id",
    "kind",
    "object_id",
    "community_id",
    "scope",
    "theme_id",
    "case_id",
    "title",
    "body",
    "updated_at",
    "created_at",
    "tags",
)


@dataclass
class CaseRow:
    id: int
    community_id: int
    author_id: int
    theme_id: int
    title: str
    phase: str
    published_at: datetime
    last_activity_at: datetime
    hidden: bool
    contributions: int = 0


@dataclass
class Targets:
    """The cases the load runner opens: one with 50 contributions, one with 200."""

    case_50: CaseRow | None = None
    case_200: CaseRow | None = None


def html_of(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


class SearchRows:
    """Allocates search_documents ids and collects their rows in chunks."""

    def __init__(self) -> None:
        self.next = bulk.next_id(SearchDocument.__table__)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, kind: str, object_id: int, community_id: int, **values: Any) -> None:
        self.rows.append(
            (
                self.next,
                kind,
                object_id,
                community_id,
                values.get("scope", "community"),
                values.get("theme_id"),
                values.get("case_id"),
                values["title"][:300],
                values["body"],
                values["updated_at"],
                values["updated_at"],  # written then: the period filter's date
                tags_for(
                    community_id,
                    kind,
                    values.get("theme_id"),
                    values.get("scope") == "library",
                    values["updated_at"],
                ),
            )
        )
        self.next += 1

    def flush(self) -> None:
        bulk.write(SearchDocument.__table__, SEARCH_COLUMNS, self.rows)
        self.rows = []


def cases(world: World, scale: Scale, search: SearchRows) -> list[CaseRow]:
    rng, text = world.rng, world.text
    ids = [c[0] for c in world.communities]
    themes = {c[0]: c[3] for c in world.communities}
    # Bigger communities bring in more cases.
    weights = [len(world.members[cid]) for cid in ids]
    start = bulk.next_id(Case.__table__)
    result: list[CaseRow] = []
    rows = []
    phases, phase_weights = list(PHASE_WEIGHTS), list(PHASE_WEIGHTS.values())
    for n in range(scale.cases):
        community_id = rng.choices(ids, weights=weights)[0]
        author = rng.choice(world.members[community_id])
        phase = rng.choices(phases, weights=phase_weights)[0]
        created = world.moment(5 * 365)
        published = created + timedelta(hours=3)
        last = min(published + timedelta(days=rng.random() * 90), world.now)
        fields = [text.paragraph(2, 5), text.paragraph(1, 2), text.paragraph(1, 3)]
        fields.append(text.paragraph(1, 2))
        title = text.title()
        hidden = rng.random() < 0.002
        row = CaseRow(start + n, community_id, author, themes[community_id], title, phase,
                      published, last, hidden)  # fmt: skip
        result.append(row)
        rows.append(
            (
                row.id,
                community_id,
                author,
                world.user_org[author],
                row.theme_id or None,
                title,
                *(value for field in fields for value in (field, html_of(field))),
                phase,
                created,
                None if phase == "draft" else published,
                last,
                last,
                last if phase == "closed" else None,
                world.now if hidden else None,
            )
        )
        if phase != "draft" and not hidden:
            search.add("case", row.id, community_id, theme_id=row.theme_id or None,
                       case_id=row.id, title=title, body="\n".join(fields),
                       updated_at=last)  # fmt: skip
    columns = (
        "id",
        "community_id",
        "author_id",
        "organisation_id",
        "theme_id",
        "title",
        "context",
        "context_html",
        "question",
        "question_html",
        "tried",
        "tried_html",
        "stakeholders",
        "stakeholders_html",
        "phase",
        "created_at",
        "published_at",
        "updated_at",
        "last_activity_at",
        "closed_at",
        "hidden_at",
    )
    bulk.write(Case.__table__, columns, rows)
    search.flush()
    return result


def plan_contributions(world: World, scale: Scale, rows: list[CaseRow]) -> Targets:
    """How many contributions each case gets: most a handful, a few 200 or more."""
    rng = world.rng
    open_cases = [c for c in rows if c.phase != "draft" and not c.hidden]
    bench_communities = set(world.communities[i][0] for i in range(min(6, len(world.communities))))
    targets = Targets()
    in_bench = [c for c in open_cases if c.community_id in bench_communities]
    big = set(rng.sample(range(len(open_cases)), min(scale.big_cases, len(open_cases))))
    for index in big:
        open_cases[index].contributions = rng.randint(200, 260)
    if in_bench:
        targets.case_200 = in_bench[0]
        targets.case_200.contributions = 200
        targets.case_50 = in_bench[1] if len(in_bench) > 1 else None
    rest = [c for c in open_cases if c.contributions == 0 and c is not targets.case_50]
    remaining = scale.contributions - sum(c.contributions for c in open_cases)
    if targets.case_50 is not None:
        targets.case_50.contributions = 50
        remaining -= 50
    shares = [rng.expovariate(1.0) for _ in rest]
    total = sum(shares) or 1.0
    for case, share in zip(rest, shares, strict=True):
        case.contributions = min(199, int(share / total * max(remaining, 0)))
    # What rounding and the cap left over goes to cases that still have room.
    left = scale.contributions - sum(c.contributions for c in open_cases)
    while left > 0 and rest:
        case = rng.choice(rest)
        room = min(199 - case.contributions, left)
        case.contributions += room
        left -= room
    return targets


def contributions(world: World, rows: list[CaseRow], search: SearchRows) -> int:
    rng, text = world.rng, world.text
    table = Contribution.__table__
    next_id = bulk.next_id(table)
    batch: list[tuple[Any, ...]] = []
    written = 0
    for case in rows:
        if case.contributions == 0:
            continue
        members = world.members[case.community_id]
        experts = world.experts.get(case.community_id) or members
        reached = ("questions", "advice", "reflection", "closed").index(
            "closed" if case.phase == "closed" else case.phase
        )
        span = max((case.last_activity_at - case.published_at).total_seconds(), 60.0)
        questions: list[int] = []
        tops: list[int] = []
        for n in range(case.contributions):
            position = n / case.contributions
            stage = 0 if position < 0.35 or reached == 0 else 1
            if position >= 0.85 and reached >= 2:
                stage = 2
            parent = None
            if stage == 0:
                if questions and rng.random() < 0.3:
                    kind, parent, author = "answer", rng.choice(questions), case.author_id
                else:
                    kind, author = "question", rng.choice(members)
            elif stage == 1:
                if tops and rng.random() < 0.1:
                    kind, parent, author = "comment", rng.choice(tops), rng.choice(members)
                elif rng.random() < 0.1:
                    kind, author = "expert_advice", rng.choice(experts)
                else:
                    kind, author = "advice", rng.choice(members)
            else:
                kind, author = "reflection", case.author_id
            phase = ("questions", "advice", "reflection")[stage]
            body = text.paragraph(1, 4)
            created = case.published_at + timedelta(seconds=span * position)
            hidden = rng.random() < 0.003
            batch.append((next_id, case.id, author, parent, kind, phase, body, html_of(body),
                          rng.random() < 0.05, created, world.now if hidden else None))  # fmt: skip
            if parent is None:
                (questions if kind == "question" else tops).append(next_id)
            if not hidden:
                search.add("contribution", next_id, case.community_id,
                           theme_id=case.theme_id or None, case_id=case.id, title=case.title,
                           body=body, updated_at=created)  # fmt: skip
            next_id += 1
        if len(batch) >= CHUNK:
            written += _write_contributions(batch, search)
            batch = []
    written += _write_contributions(batch, search)
    return written


def _write_contributions(batch: list[tuple[Any, ...]], search: SearchRows) -> int:
    columns = (
        "id",
        "case_id",
        "author_id",
        "parent_id",
        "kind",
        "phase",
        "body",
        "body_html",
        "valuable",
        "created_at",
        "hidden_at",
    )
    count = bulk.write(Contribution.__table__, columns, batch)
    search.flush()
    db.session.flush()
    return count
