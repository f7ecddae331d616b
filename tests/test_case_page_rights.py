"""The case page's rights, decided once per page, agree with the per-object predicates.

`community.policy.case_page` asks the predicates once per page and applies the answers
to each contribution's author, phase and state. This test compares the two for every
combination of viewer (anonymous, suspended, every membership role and status, with
and without two-step verification, administrator or not, case author or not), case
(phase, archived community, hidden) and contribution (author, phase, hidden, held).
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from community import policy
from community.models import AnonymousUser
from community.models.base import utcnow
from community.policy.case_page import (
    appreciates_row,
    case_page_rights,
    edits_row,
    replies_row,
    sees_contribution_row,
    sees_hidden_row,
    values_row,
)

VIEWER_ID, CASE_AUTHOR_ID, OTHER_ID = 1, 2, 3
PHASES = ("draft", "questions", "advice", "reflection", "closed")
CONTRIBUTION_PHASES = ("questions", "advice", "reflection", "closed")


def _viewers() -> list[tuple[str, Any]]:
    viewers: list[tuple[str, Any]] = [("anonymous", AnonymousUser())]
    for status, role, second_factor, admin, active in itertools.product(
        (None, "active", "removed", "invited"),
        ("member", "expert", "moderator"),
        (True, False),
        (False, True),
        (True, False),
    ):
        membership = (
            None if status is None else SimpleNamespace(status=status, role=role, community_id=7)
        )
        user = SimpleNamespace(
            id=VIEWER_ID,
            is_authenticated=True,
            is_active=active,
            is_admin=admin,
            totp_secret="SECRET" if second_factor else None,
        )
        user.membership_in = lambda community, membership=membership: membership
        user.memberships_by_community = lambda membership=membership: (
            {7: membership} if membership else {}
        )
        name = f"{status}/{role}/2fa={second_factor}/admin={admin}/active={active}"
        viewers.append((name, user))
    return viewers


def test_row_rights_agree_with_the_predicates_for_every_combination(app):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True  # production: staff powers need 2FA
    checked, disagreements = 0, []
    with app.app_context():
        for (name, user), own_case, phase, archived, case_hidden in itertools.product(
            _viewers(), (False, True), PHASES, (False, True), (False, True)
        ):
            community = SimpleNamespace(
                id=7, archived_at=utcnow() if archived else None, method="incident"
            )
            case = SimpleNamespace(
                id=11,
                community=community,
                community_id=7,
                author_id=VIEWER_ID if own_case else CASE_AUTHOR_ID,
                phase=phase,
                hidden_at=utcnow() if case_hidden else None,
                locked_at=None,
            )
            rights = case_page_rights(user, case)
            assert rights.moderating == policy.can_moderate_content(user, community), name
            for author_id, contribution_phase, hidden, held, parent_id in itertools.product(
                (VIEWER_ID, CASE_AUTHOR_ID, OTHER_ID, None),
                CONTRIBUTION_PHASES,
                (False, True),
                (False, True),
                (None, 5),
            ):
                contribution = SimpleNamespace(
                    case=case,
                    author_id=author_id,
                    phase=contribution_phase,
                    hidden_at=utcnow() if hidden else None,
                    pending_review=held,
                    parent_id=parent_id,
                )
                pairs = {
                    "can_see_hidden": (
                        policy.can_see_hidden(user, contribution, community),
                        sees_hidden_row(rights, author_id),
                    ),
                    "can_see_contribution": (
                        policy.can_see_contribution(user, contribution, community),
                        sees_contribution_row(rights, author_id, hidden, held),
                    ),
                    "can_edit_contribution": (
                        policy.can_edit_contribution(user, contribution),
                        edits_row(rights, author_id, contribution_phase),
                    ),
                    "can_mark_valuable": (
                        policy.can_mark_valuable(user, contribution),
                        values_row(rights, author_id),
                    ),
                    "can_reply_to_contribution": (
                        policy.can_reply_to_contribution(user, contribution),
                        replies_row(rights, parent_id, hidden, held),
                    ),
                    "can_appreciate_contribution": (
                        policy.can_appreciate_contribution(user, contribution),
                        appreciates_row(rights, author_id, hidden, held),
                    ),
                }
                for predicate, (expected, derived) in pairs.items():
                    checked += 1
                    if expected != derived:
                        disagreements.append(
                            (predicate, name, own_case, phase, archived, author_id, expected)
                        )
    assert not disagreements, disagreements[:10]
    assert checked > 300_000  # every combination was asked


def test_the_combinations_include_every_right_granted_and_refused(app):
    """Not a vacuous comparison: each right is both granted and refused somewhere."""
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    seen: dict[str, set[bool]] = {}
    with app.app_context():
        for (_name, user), phase in itertools.product(_viewers(), PHASES):
            community = SimpleNamespace(id=7, archived_at=None, method="incident")
            case = SimpleNamespace(
                id=11,
                community=community,
                community_id=7,
                author_id=VIEWER_ID,
                phase=phase,
                hidden_at=None,
                locked_at=None,
            )
            rights = case_page_rights(user, case)
            for field in (
                "moderating",
                "sees_own_hidden",
                "sees_others_hidden",
                "values_others",
                "replies",
                "appreciates_others",
            ):
                seen.setdefault(field, set()).add(bool(getattr(rights, field)))
            seen.setdefault("edit_phase", set()).add(rights.edit_phase is not None)
    assert all(values == {True, False} for values in seen.values()), seen
