"""Benchmark data, part one: organisations, users, communities and memberships."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bench.benchdata import bulk
from bench.benchdata.scales import BENCH_COMMUNITIES, BENCH_EMAIL, BENCH_PASSWORD, Scale
from bench.benchdata.text import NOUNS, Text
from community.extensions import db
from community.models import Community, Membership, Organisation, Theme, User

PARTNER_KINDS = (
    "woningcorporatie",
    "zorgaanbieder",
    "adviesbureau",
    "ministerie",
    "kennisinstelling",
)
PARTNER_NAMES = {
    "woningcorporatie": "Woonstichting",
    "zorgaanbieder": "Zorggroep",
    "adviesbureau": "Adviesbureau",
    "ministerie": "Directie",
    "kennisinstelling": "Kenniscentrum",
}


@dataclass
class World:
    """What the later steps of the generator need to know about the people."""

    now: datetime
    rng: random.Random
    text: Text
    organisations: list[int] = field(default_factory=list)
    cities: dict[int, str] = field(default_factory=dict)
    user_org: dict[int, int] = field(default_factory=dict)
    themes: list[int] = field(default_factory=list)
    communities: list[tuple[int, str, str, int]] = field(default_factory=list)  # id slug name theme
    members: dict[int, list[int]] = field(default_factory=dict)  # active members per community
    experts: dict[int, list[int]] = field(default_factory=dict)
    moderators: dict[int, list[int]] = field(default_factory=dict)
    memberships: list[tuple[int, int]] = field(default_factory=list)  # (user, community), active
    bench_user: int = 0

    def moment(self, days_back: float) -> datetime:
        """A moment up to `days_back` days before now."""
        return self.now - timedelta(days=self.rng.random() * days_back)


def organisations(world: World, scale: Scale) -> None:
    rows = db.session.execute(select(Organisation.id, Organisation.kind, Organisation.name)).all()
    partners = [r for r in rows if r.kind != "gemeente"]
    world.cities = {r.id: r.name for r in rows if r.kind == "gemeente"}
    table = Organisation.__table__
    start = bulk.next_id(table)
    new = []
    for n in range(max(scale.partners - len(partners), 0)):
        kind = PARTNER_KINDS[n % len(PARTNER_KINDS)]
        name = f"{PARTNER_NAMES[kind]} {world.text.rng.choice(NOUNS).capitalize()} {n + 1}"
        new.append((start + n, name, f"bench-partner-{n + 1}", kind))
    bulk.write(table, ("id", "name", "slug", "kind"), new)
    world.organisations = [r.id for r in rows] + [row[0] for row in new]
    world.themes = list(db.session.scalars(select(Theme.id).order_by(Theme.id)))


def users(world: World, scale: Scale) -> None:
    rng = world.rng
    password = generate_password_hash(BENCH_PASSWORD)  # one hash for everyone: fast to load
    start = bulk.next_id(User.__table__)
    city_ids = list(world.cities)
    rows = []
    for n in range(scale.users):
        user_id = start + n
        # Seven in ten work for a city, the others for a partner.
        org = rng.choice(city_ids) if rng.random() < 0.7 else rng.choice(world.organisations)
        world.user_org[user_id] = org
        name = "Bench Gebruiker" if n == 0 else world.text.name()
        email = BENCH_EMAIL if n == 0 else f"deelnemer{user_id}@bench.leerkring.example"
        joined = world.moment(5 * 365)
        rows.append(
            (
                user_id,
                name,
                email,
                org,
                "Beleidsadviseur",
                password,
                "active",
                joined,
                joined,
                joined,
                secrets.token_hex(16),
            )
        )
    columns = (
        "id",
        "name",
        "email",
        "organisation_id",
        "job_title",
        "password_hash",
        "status",
        "created_at",
        "approved_at",
        "email_confirmed_at",
        "session_token",
    )
    bulk.write(User.__table__, columns, rows)
    world.bench_user = start


def communities(world: World, scale: Scale) -> None:
    """Communities of very different sizes, and who is in them."""
    rng = world.rng
    start = bulk.next_id(Community.__table__)
    rows = []
    for n in range(scale.communities):
        community_id = start + n
        theme = world.themes[n % len(world.themes)] if world.themes else None
        noun = world.text.rng.choice(NOUNS)
        name = f"Leerkring {noun} {n + 1}"
        slug = f"leerkring-{noun}-{n + 1}"
        summary = world.text.sentence()[:300]
        description = world.text.paragraph(2, 4)
        visibility = "secret" if n % 7 == 6 else "closed"
        method = ("incident", "consult", "open")[n % 3]
        created = world.moment(6 * 365)
        rows.append(
            (
                community_id,
                name,
                slug,
                description,
                f"<p>{description}</p>",
                summary,
                theme,
                visibility,
                method,
                created,
            )
        )
        world.communities.append((community_id, slug, name, theme or 0))
    columns = (
        "id",
        "name",
        "slug",
        "description",
        "description_html",
        "summary",
        "theme_id",
        "visibility",
        "method",
        "created_at",
    )
    bulk.write(Community.__table__, columns, rows)
    _memberships(world, rng)


def _memberships(world: World, rng: random.Random) -> None:
    ids = [c[0] for c in world.communities]
    # Zipf-like popularity: the first communities are the big ones.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(ids))]
    chosen: dict[int, set[int]] = {}
    for user_id in world.user_org:
        if user_id == world.bench_user:
            chosen[user_id] = set(ids[:BENCH_COMMUNITIES])
            continue
        count = min(len(ids), max(1, round(rng.expovariate(1 / 3))))
        chosen[user_id] = set(rng.choices(ids, weights=weights, k=count))
    for community_id in ids:  # nobody's community is empty
        chosen[rng.choice(list(world.user_org))].add(community_id)
    start = bulk.next_id(Membership.__table__)
    rows: list[tuple[Any, ...]] = []
    for user_id, communities in chosen.items():
        for community_id in sorted(communities):
            members = world.members.setdefault(community_id, [])
            role = "member"
            if len(world.moderators.get(community_id, [])) < 2 and user_id != world.bench_user:
                role = "moderator"
                world.moderators.setdefault(community_id, []).append(user_id)
            elif rng.random() < 0.06 and user_id != world.bench_user:
                role = "expert"
                world.experts.setdefault(community_id, []).append(user_id)
            members.append(user_id)
            world.memberships.append((user_id, community_id))
            joined = world.moment(4 * 365)
            rows.append((start + len(rows), user_id, community_id, role, "active", joined, joined))
    columns = ("id", "user_id", "community_id", "role", "status", "created_at", "updated_at")
    bulk.write(Membership.__table__, columns, rows)
