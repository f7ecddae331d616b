"""The viewer's rights on one case page: decided once by the predicates, applied per row.

A case page shows up to 250 contributions. Asking `can_edit_contribution` and friends
for each of them walks the same membership and case checks 250 times over, so the page
asks the predicates once, about stand-in contributions (one by the viewer in the case's
phase, one by someone else), and keeps the answers. What differs per contribution is
only its author, phase and state; the row functions below combine those with the kept
answers. `tests/test_case_page_rights.py` checks that they agree with the predicates
for every combination of viewer, case and contribution.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from community.policy.base import Actor, is_active_user
from community.policy.content import (
    can_appreciate_contribution,
    can_edit_contribution,
    can_mark_valuable,
    can_moderate_content,
    can_reply_to_contribution,
    can_see_hidden,
)


@dataclass(frozen=True)
class _StandIn:
    """What the contribution predicates read of a contribution."""

    case: Any
    author_id: Any
    phase: str
    hidden_at: Any = None
    pending_review: bool = False
    parent_id: Any = None


@dataclass(frozen=True, slots=True)
class CasePageRights:
    """The predicates' answers for one viewer on one case page."""

    viewer_id: Any
    moderating: bool  # can_moderate_content: hide, unhide, see what is hidden or held
    sees_own_hidden: bool  # can_see_hidden for the viewer's own contributions
    sees_others_hidden: bool  # can_see_hidden for everyone else's
    edit_phase: str | None  # the viewer's own contributions of this phase are editable
    values_others: bool  # may mark contributions by others as valuable
    replies: bool  # may reply to (shown, top-level) contributions
    appreciates_others: bool  # may appreciate (shown) contributions by others


def case_page_rights(user: Actor, case: Any) -> CasePageRights:
    community = case.community
    own = _StandIn(case=case, author_id=user.id, phase=case.phase)
    # No account has id None; an anonymous visitor's None is no author's either
    # (the predicates ask for an active user first).
    others = _StandIn(case=case, author_id=None, phase=case.phase)
    return CasePageRights(
        viewer_id=user.id if is_active_user(user) else None,
        moderating=can_moderate_content(user, community),
        sees_own_hidden=can_see_hidden(user, own, community),
        sees_others_hidden=can_see_hidden(user, others, community),
        edit_phase=case.phase if can_edit_contribution(user, own) else None,
        values_others=can_mark_valuable(user, others),
        replies=can_reply_to_contribution(user, others),
        appreciates_others=can_appreciate_contribution(user, others),
    )


def _own(rights: CasePageRights, author_id: int | None) -> bool:
    return rights.viewer_id is not None and author_id == rights.viewer_id


def sees_hidden_row(rights: CasePageRights, author_id: int | None) -> bool:
    """`can_see_hidden` for a contribution by `author_id` on this page."""
    return rights.sees_own_hidden if _own(rights, author_id) else rights.sees_others_hidden


def sees_contribution_row(
    rights: CasePageRights, author_id: int | None, hidden: bool, pending_review: bool
) -> bool:
    """`can_see_contribution`: hidden or held ones for their author and the moderators."""
    if not hidden and not pending_review:
        return True
    return sees_hidden_row(rights, author_id)


def edits_row(rights: CasePageRights, author_id: int | None, phase: str) -> bool:
    """`can_edit_contribution`: the viewer's own, written in the phase that is open now."""
    return rights.edit_phase is not None and phase == rights.edit_phase and _own(rights, author_id)


def values_row(rights: CasePageRights, author_id: int | None) -> bool:
    """`can_mark_valuable`: the case author values contributions by others."""
    return rights.values_others and not _own(rights, author_id)


def replies_row(
    rights: CasePageRights, parent_id: int | None, hidden: bool, pending_review: bool
) -> bool:
    """`can_reply_to_contribution`: shown top-level contributions, when the viewer may post."""
    return rights.replies and parent_id is None and not hidden and not pending_review


def appreciates_row(
    rights: CasePageRights, author_id: int | None, hidden: bool, pending_review: bool
) -> bool:
    """`can_appreciate_contribution`: shown contributions by someone else."""
    return (
        rights.appreciates_others
        and not hidden
        and not pending_review
        and not _own(rights, author_id)
    )
