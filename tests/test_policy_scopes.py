"""Both halves of every rule agree: `can_x(u, o)` holds exactly when `o` is in the scope.

Over generated worlds (every community visibility × archived; every membership status
and role, open, expired and revoked invitations; active, suspended and pending accounts;
administrators with and without two-step verification; draft, published, hidden, locked
and moved cases; hidden and held contributions; community and library approaches;
notifications of every audience), each user's scope query is compared with the predicate
on every object — and so are the real list queries the pages use (the directory, the case
list, notifications, search), so a page with its own copy of a rule fails here.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from community import policy, search
from community.cases import queries as case_queries
from community.communities import queries as community_queries
from community.extensions import db
from community.models import (
    Approach,
    Case,
    Community,
    Contribution,
    Meeting,
    Membership,
    Notification,
    User,
)
from community.models.base import utcnow
from community.notifications import services as notifications
from community.notifications.kinds import KINDS, names_for

WORD = "gemeenschapswoord"  # in every indexed title, so one search finds all

# (status, role, invitation expiry relative to now) for one user in one community
MEMBERSHIPS: list[tuple[str, str, timedelta | None] | None] = [
    None,
    ("active", "member", None),
    ("active", "expert", None),
    ("active", "moderator", None),
    ("requested", "member", None),
    ("invited", "member", timedelta(days=3)),  # open invitation
    ("invited", "member", -timedelta(days=1)),  # expired
    ("invited", "member", None),  # revoked (no expiry left)
    ("declined", "member", None),
    ("removed", "member", None),
    ("left", "member", None),
]
ACCOUNTS = [
    ("active", "member", False),
    ("active", "member", True),
    ("active", "admin", True),  # acting administrator
    ("active", "admin", False),  # administrator without two-step verification
    ("suspended", "member", False),
    ("pending", "member", False),
]


def _world(rng: random.Random, make_user: Any, make_community: Any) -> SimpleNamespace:
    now = utcnow()
    communities = [
        make_community(visibility=visibility, archived_at=now if archived else None)
        for visibility in ("closed", "secret")
        for archived in (False, False, True)
    ]
    users = []
    for index in range(len(ACCOUNTS) * 4):
        status, role, second_factor = ACCOUNTS[index % len(ACCOUNTS)]
        users.append(
            make_user(
                status=status,
                platform_role=role,
                totp_secret="JBSWY3DPEHPK3PXP" if second_factor else None,
            )
        )
    for user_index, user in enumerate(users):
        for community_index, community in enumerate(communities):
            # Every combination appears: a rotation, plus chance for the rest.
            choice = MEMBERSHIPS[(user_index + community_index) % len(MEMBERSHIPS)]
            if rng.random() < 0.3:
                choice = rng.choice(MEMBERSHIPS)
            if choice is None:
                continue
            status, role, expires = choice
            db.session.add(
                Membership(
                    user_id=user.id,
                    community_id=community.id,
                    status=status,
                    role=role,
                    invitation_expires_at=now + expires if expires is not None else None,
                )
            )
    db.session.commit()
    members: dict[int, list[User]] = {c.id: [] for c in communities}
    for membership in db.session.scalars(select(Membership)):
        if membership.status == "active":
            members[membership.community_id].append(membership.user)
    cases = []
    for community in communities:
        authors = members[community.id] or users
        for phase in ("draft", "questions", "advice", "closed"):
            for hidden, locked in ((False, False), (True, False), (False, True)):
                author = rng.choice(authors)
                case = Case(
                    community_id=community.id,
                    author_id=author.id,
                    title=f"Casus {WORD} {phase}",
                    phase=phase,
                    published_at=None if phase == "draft" else now,
                    hidden_at=now if hidden else None,
                    hidden_reason="reden" if hidden else None,
                    locked_at=now if locked else None,
                )
                db.session.add(case)
                cases.append(case)
    db.session.flush()
    moved = rng.choice([c for c in cases if c.phase == "questions" and c.hidden_at is None])
    moved.community_id = next(c.id for c in communities if c.id != moved.community_id)
    contributions = []
    for case in cases:
        authors = members[case.community_id] or users
        for hidden, pending in ((False, False), (True, False), (False, True)):
            contribution = Contribution(
                case_id=case.id,
                author_id=rng.choice(authors).id,
                kind="comment",
                phase=case.phase,
                body=f"Bijdrage {WORD}",
                body_html="",
                hidden_at=now if hidden else None,
                pending_review=pending,
            )
            db.session.add(contribution)
            contributions.append(contribution)
    approaches = []
    for community in communities:
        for scope, approved in (("community", False), ("library", False), ("library", True)):
            approach = Approach(
                community_id=community.id,
                author_id=rng.choice(members[community.id] or users).id,
                title=f"Aanpak {WORD}",
                scope=scope,
                library_requested_at=now if scope == "library" else None,
                library_approved_at=now if approved else None,
            )
            db.session.add(approach)
            approaches.append(approach)
    meetings = [
        Meeting(
            community_id=community.id,
            title="Bijeenkomst",
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=2),
        )
        for community in communities
    ]
    db.session.add_all(meetings)
    db.session.flush()
    kinds = [
        names_for("personal")[0],
        names_for("member")[0],
        names_for("moderator", for_admins=True)[0],
        names_for("moderator", for_admins=False)[0],
    ]
    notes = []
    for user in users:
        for kind in kinds:
            community = rng.choice(communities)
            notes.append(Notification(recipient_id=user.id, kind=kind, community_id=community.id))
        about = rng.choice(cases)  # about a case, hidden or not
        notes.append(
            Notification(
                recipient_id=user.id,
                kind=names_for("member")[0],
                community_id=about.community_id,
                target_type="cases",
                target_id=about.id,
            )
        )
    db.session.add_all(notes)
    db.session.commit()
    for case in cases:
        search.index_case(case, with_contributions=True)
    for approach in approaches:
        search.index_approach(approach)
    db.session.commit()
    return SimpleNamespace(
        users=users,
        communities=communities,
        cases=cases,
        contributions=contributions,
        approaches=approaches,
        meetings=meetings,
        notifications=notes,
    )


@pytest.fixture(params=[1, 2, 3], ids=lambda seed: f"seed{seed}")
def world(request, app, make_user, make_community):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True  # as in production
    with app.test_request_context():
        yield _world(random.Random(request.param), make_user, make_community)


def _fresh(user: User) -> User:
    user.forget_memberships()  # each user's memberships are loaded as for a request
    return user


def _ids(model: Any, clause: Any, params: dict[str, Any] | None = None) -> set[int]:
    return set(db.session.scalars(select(model.id).where(clause), params or {}))


def _disagreements(world: SimpleNamespace, model: Any, objects: list[Any], can: Any, scope: Any):
    found = []
    for user in world.users:
        in_scope = _ids(model, scope(_fresh(user)))
        allowed = {o.id for o in objects if can(user, o)}
        if in_scope != allowed:
            found.append((user.id, user.status, user.platform_role, in_scope ^ allowed))
    return found


def test_communities(world):
    assert not _disagreements(
        world, Community, world.communities, policy.can_see_community, policy.visible_communities
    )
    assert not _disagreements(
        world, Community, world.communities, policy.can_view_community, policy.member_communities
    )


def test_cases(world):
    assert not _disagreements(world, Case, world.cases, policy.can_read_case, policy.readable_cases)


def test_contributions(world):
    assert not _disagreements(
        world,
        Contribution,
        world.contributions,
        policy.can_read_contribution,
        policy.readable_contributions,
    )


def test_approaches_and_meetings(world):
    assert not _disagreements(
        world, Approach, world.approaches, policy.can_view_approach, policy.readable_approaches
    )
    assert not _disagreements(
        world, Meeting, world.meetings, policy.can_view_meeting, policy.readable_meetings
    )


def test_notifications(world):
    for user in world.users:
        scope = policy.notification_scope(_fresh(user))
        in_scope = _ids(Notification, scope, policy.notification_params(user))
        allowed = {n.id for n in world.notifications if policy.can_see_notification(user, n)}
        assert in_scope == allowed, (user.id, user.platform_role, user.totp_secret)
        page, _more = notifications.notifications_page(user, per_page=100)
        assert {n.id for n in page} == allowed


def test_the_directory_lists_exactly_the_visible_communities(world):
    for user in world.users:
        listed = set(
            db.session.scalars(
                community_queries.directory(_fresh(user), None).with_only_columns(Community.id)
            )
        )
        expected = {
            c.id
            for c in world.communities
            if policy.can_see_community(user, c) and c.archived_at is None
        }
        assert listed == expected, (user.id, user.platform_role, user.totp_secret)


def test_case_lists_show_exactly_the_readable_cases(world):
    for user in world.users:
        for community in world.communities:
            if not policy.can_view_community(_fresh(user), community):
                continue
            listed = set(
                db.session.scalars(
                    case_queries.case_list(community, user, None, None).with_only_columns(Case.id)
                )
            )
            expected = {
                c.id
                for c in world.cases
                if c.community_id == community.id and policy.can_read_case(user, c)
            }
            assert listed == expected, (user.id, community.id)


def test_search_finds_only_what_the_user_may_read(world):
    """The index holds no drafts, hidden cases or their replies: search shows the
    readable documents among those, and nothing else."""
    for user in world.users:
        page = search.search(_fresh(user), WORD, per_page=1000)
        found = {(d.kind, d.object_id) for d in page.items} if page else set()
        expected = {
            ("case", c.id)
            for c in world.cases
            if policy.can_read_case(user, c) and c.phase != "draft" and c.hidden_at is None
        }
        expected |= {
            ("contribution", c.id)
            for c in world.contributions
            if policy.can_read_contribution(user, c)
            and c.hidden_at is None
            and not c.pending_review
            and c.case.hidden_at is None
            and c.case.phase != "draft"
        }
        expected |= {
            ("approach", a.id) for a in world.approaches if policy.can_view_approach(user, a)
        }
        assert found == expected, (user.id, user.platform_role, found ^ expected)


def test_every_notification_kind_is_in_a_known_audience():
    assert {kind.audience for kind in KINDS.values()} <= {"personal", "member", "moderator"}


def test_no_copy_of_the_membership_rule_outside_the_policy():
    """Which memberships count is decided in policy/ (and changed by the membership
    services); a query elsewhere that spells out `Membership.status == "active"` is a
    copy of the rule that can drift from it."""
    root = Path(__file__).resolve().parents[1] / "community"
    allowed = {
        root / "communities" / "memberships.py",  # the membership services change them
        root / "communities" / "invitations.py",
        root / "accounts" / "erasure.py",  # ends every membership of an erased account
    }
    rule = re.compile(r"Membership\.status\s*(==|!=)\s*\"active\"|\"active\".*Membership\.status")
    copies = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.parent.name != "policy" and path not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if rule.search(line)
    ]
    assert not copies
