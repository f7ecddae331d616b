"""Benchmark data, part three: approaches, adoptions, meetings and notifications."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bench.benchdata import bulk
from bench.benchdata.cases import CaseRow, SearchRows, html_of
from bench.benchdata.people import World
from bench.benchdata.scales import Scale
from community.models import (
    ADOPTION_STATUSES,
    Adoption,
    Approach,
    Meeting,
    Notification,
    Rsvp,
)

APPROACH_FIELDS = ("summary", "problem", "steps", "results", "success_factors", "pitfalls")
NOTIFICATION_KINDS = ("case_published", "contribution_added", "phase_changed")


def approaches(world: World, scale: Scale, rows: list[CaseRow], search: SearchRows) -> list[int]:
    """Approaches drawn from closed cases; three in ten shared in the library."""
    rng, text = world.rng, world.text
    closed: dict[int, list[CaseRow]] = {}
    for case in rows:
        if case.phase == "closed" and not case.hidden:
            closed.setdefault(case.community_id, []).append(case)
    ids = [c[0] for c in world.communities]
    bench = {cid for uid, cid in world.memberships if uid == world.bench_user}
    start = bulk.next_id(Approach.__table__)
    library: list[int] = []
    table_rows = []
    for n in range(scale.approaches):
        approach_id = start + n
        community_id = rng.choice(ids)
        source = rng.choice(closed[community_id]) if closed.get(community_id) else None
        author = source.author_id if source else rng.choice(world.members[community_id])
        theme = next(c[3] for c in world.communities if c[0] == community_id) or None
        title = "Aanpak: " + text.title().removesuffix(": wat werkt?").rstrip("?").lower()
        texts = [text.paragraph(1, 3) for _ in APPROACH_FIELDS]
        created = world.moment(4 * 365)
        shared = rng.random() < 0.3
        moderator = world.moderators[community_id][0]
        if shared and source and community_id in bench:  # the one the load runner opens
            library.insert(0, approach_id)
        elif shared:
            library.append(approach_id)
        table_rows.append(
            (approach_id, community_id, source.id if source else None, author,
             world.user_org[author], theme, title,
             *(value for field in texts for value in (field, html_of(field))),
             "library" if shared else "community", created if shared else None,
             created if shared else None, moderator if shared else None, created, created)
        )  # fmt: skip
        search.add("approach", approach_id, community_id, theme_id=theme,
                   case_id=source.id if source else None, title=title, body="\n".join(texts),
                   scope="library" if shared else "community", updated_at=created)  # fmt: skip
    columns = (
        "id",
        "community_id",
        "case_id",
        "author_id",
        "organisation_id",
        "theme_id",
        "title",
        *(name for field in APPROACH_FIELDS for name in (field, field + "_html")),
        "scope",
        "library_requested_at",
        "library_approved_at",
        "library_approved_by_id",
        "created_at",
        "updated_at",
    )
    bulk.write(Approach.__table__, columns, table_rows)
    search.flush()
    _adoptions(world, scale, start, scale.approaches, library)
    return library


def _adoptions(world: World, scale: Scale, first: int, count: int, library: list[int]) -> None:
    rng = world.rng
    seen: set[tuple[int, int]] = set()
    start = bulk.next_id(Adoption.__table__)
    rows: list[tuple[Any, ...]] = []
    attempts = 0
    while len(rows) < scale.adoptions and attempts < scale.adoptions * 5:
        attempts += 1
        # Library approaches are adopted far more often.
        approach = (
            rng.choice(library) if library and rng.random() < 0.8 else first + rng.randrange(count)
        )
        organisation = rng.choice(world.organisations)
        if (approach, organisation) in seen:
            continue
        seen.add((approach, organisation))
        when = world.moment(3 * 365)
        status = rng.choice(ADOPTION_STATUSES)
        rows.append(
            (start + len(rows), approach, organisation, status, world.text.sentence(), when, when)
        )
    columns = ("id", "approach_id", "organisation_id", "status", "note", "created_at", "updated_at")
    bulk.write(Adoption.__table__, columns, rows)


def meetings(world: World, scale: Scale, search: SearchRows) -> None:
    rng, text = world.rng, world.text
    ids = [c[0] for c in world.communities]
    cities = list(world.cities.values()) or ["Utrecht"]
    start = bulk.next_id(Meeting.__table__)
    rows = []
    rsvps: list[tuple[Any, ...]] = []
    rsvp_id = bulk.next_id(Rsvp.__table__)
    for n in range(scale.meetings):
        meeting_id = start + n
        community_id = rng.choice(ids)
        starts = world.now + timedelta(days=rng.uniform(-3 * 365, 180))
        kind = rng.choice(("meeting", "meeting", "expert_session", "site_visit"))
        title = f"Bijeenkomst: {text.title().removesuffix(': wat werkt?').rstrip('?').lower()}"
        location = f"Stadskantoor {rng.choice(cities)}"
        agenda = text.paragraph(2, 4)
        report = text.paragraph(2, 5) if starts < world.now and rng.random() < 0.5 else ""
        creator = world.moderators[community_id][0]
        rows.append((meeting_id, community_id, kind, title, starts, starts + timedelta(hours=2),
                     location, agenda, html_of(agenda), report, html_of(report) if report else "",
                     starts if report else None, creator, starts - timedelta(days=30),
                     starts - timedelta(days=30)))  # fmt: skip
        search.add("meeting", meeting_id, community_id, title=title,
                   body="\n".join([location, agenda, report]), updated_at=starts)  # fmt: skip
        members = world.members[community_id]
        for user in rng.sample(members, min(len(members), rng.randint(0, 8))):
            response = rng.choice(("yes", "yes", "maybe", "no"))
            rsvps.append((rsvp_id, meeting_id, user, response, starts - timedelta(days=7)))
            rsvp_id += 1
    columns = (
        "id",
        "community_id",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "location",
        "agenda",
        "agenda_html",
        "report",
        "report_html",
        "report_at",
        "created_by_id",
        "created_at",
        "updated_at",
    )
    bulk.write(Meeting.__table__, columns, rows)
    search.flush()
    bulk.write(Rsvp.__table__, ("id", "meeting_id", "user_id", "response", "responded_at"), rsvps)


def notifications(world: World, scale: Scale, rows: list[CaseRow]) -> None:
    """Activity in the recipient's own communities; the bench user gets a heavy share."""
    rng = world.rng
    names = {c[0]: c[2] for c in world.communities}
    by_community: dict[int, list[CaseRow]] = {}
    for case in rows:
        if case.phase != "draft" and not case.hidden:
            by_community.setdefault(case.community_id, []).append(case)
    mine = [m for m in world.memberships if m[0] == world.bench_user]
    table = Notification.__table__
    start = bulk.next_id(table)

    def generate() -> Any:
        for n in range(scale.notifications):
            recipient, community_id = (
                rng.choice(mine) if mine and n % 400 == 0 else rng.choice(world.memberships)
            )
            cases = by_community.get(community_id)
            if not cases:
                continue
            case = rng.choice(cases)
            kind = rng.choice(NOTIFICATION_KINDS)
            data: dict[str, Any] = {
                "case_title": case.title,
                "case_id": case.id,
                "community_name": names[community_id],
            }
            if kind == "phase_changed":
                data["phase"] = case.phase
            created = world.moment(2 * 365)
            read = created + timedelta(hours=5) if rng.random() < 0.85 else None
            actor = rng.choice(world.members[community_id])
            yield (start + n, recipient, kind, community_id, actor, "cases", case.id, data,
                   created, read, created)  # fmt: skip

    columns = (
        "id",
        "recipient_id",
        "kind",
        "community_id",
        "actor_id",
        "target_type",
        "target_id",
        "data",
        "created_at",
        "read_at",
        "digested_at",
    )
    bulk.write(table, columns, generate())
