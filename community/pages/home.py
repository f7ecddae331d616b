"""The member's home: what needs them, each section one bounded query through the policy.

"New since you last looked" is per case: `case_reads` holds when the user last opened
the case page (`community.cases.reads`). A contribution is unread when it was written
after that by someone else; for a case never opened, after the user became a member
of its community (so joining a community with a long history shows only what is new);
activity older than `NEW_WITHIN_DAYS` is not news any more.
Every section shows at most `SHOWN` items and says when there are more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_, select, true
from sqlalchemy.orm import aliased

from community import policy
from community.cases import experts
from community.extensions import db
from community.models import (
    Approach,
    Case,
    CaseRead,
    Community,
    Contribution,
    Meeting,
    Membership,
    Organisation,
    Rsvp,
    User,
)
from community.models.base import utcnow

SHOWN = 5
# Activity older than this is no longer news, read or not (and the count stays cheap).
NEW_WITHIN_DAYS = 30
# The library's approaches count as new for this long after their approval.
LIBRARY_NEW_DAYS = 60
# A declined request stays on the home page for this long.
DECLINED_SHOWN_DAYS = 30


@dataclass(frozen=True)
class Section:
    """Up to `SHOWN` rows, and whether there are more."""

    rows: list[Any]
    more: bool

    @classmethod
    def of(cls, rows: list[Any]) -> Section:
        return cls(rows[:SHOWN], len(rows) > SHOWN)

    def __bool__(self) -> bool:
        return bool(self.rows)


EMPTY = Section([], False)


def _readable(case: Any, user: User) -> ColumnElement[bool]:
    """`case` (an alias of cases) is one the user may read: the policy's scope."""
    return case.id.in_(select(Case.id).where(policy.readable_cases(user)))


def _unread_since() -> Any:
    """When the user last read the case, else when they became a member of its community
    (the `case_reads` and `memberships` rows `_case_rows` joins)."""
    return func.coalesce(CaseRead.read_at, Membership.decided_at, Membership.created_at)


def _case_rows(user: User, case: Any, unread_on: ColumnElement[bool]) -> Any:
    """The columns and joins both case sections share; `unread_on` picks contributions."""
    since = _unread_since()
    return (
        select(
            case.id,
            case.title,
            case.phase,
            case.author_id,
            Community.slug,
            Community.name.label("community_name"),
            CaseRead.read_at,
            func.count(Contribution.id).label("unread"),
            func.min(Contribution.id).label("first_unread"),
        )
        .join(Community, Community.id == case.community_id)
        .join(
            Membership,
            and_(Membership.user_id == user.id, Membership.community_id == case.community_id),
        )
        .outerjoin(CaseRead, and_(CaseRead.user_id == user.id, CaseRead.case_id == case.id))
        .outerjoin(
            Contribution,
            and_(
                Contribution.case_id == case.id,
                Contribution.created_at > since,
                or_(Contribution.author_id.is_(None), Contribution.author_id != user.id),
                policy.readable_contributions(user),
                unread_on,
            ),
        )
        .where(
            case.community_id.in_(policy.member_community_ids(user)),
            _readable(case, user),
        )
        .group_by(case.id, Community.id, CaseRead.id)
    )


def new_activity(user: User) -> Section:
    """Cases of the user's communities with contributions they have not read, and cases
    by others they never opened; newest activity first. The user's own case in the
    questions phase is under `waiting_cases`."""
    if not policy.member_community_ids(user):
        return EMPTY
    case = aliased(Case, name="home_case")
    statement = (
        _case_rows(user, case, true())
        .where(
            case.phase != "draft",
            case.last_activity_at > utcnow() - timedelta(days=NEW_WITHIN_DAYS),
            case.last_activity_at > _unread_since(),
            not_(and_(case.author_id == user.id, case.phase == "questions")),
        )
        .having(
            or_(
                func.count(Contribution.id) > 0,
                and_(
                    CaseRead.read_at.is_(None),
                    or_(case.author_id.is_(None), case.author_id != user.id),
                ),
            )
        )
        .order_by(case.last_activity_at.desc(), case.id.desc())
        .limit(SHOWN + 1)
    )
    return Section.of(list(db.session.execute(statement)))


def waiting_cases(user: User) -> Section:
    """The user's own cases that wait for them: drafts, and cases in the questions phase
    with questions they have not read."""
    if not policy.member_community_ids(user):
        return EMPTY
    case = aliased(Case, name="my_case")
    statement = (
        _case_rows(user, case, Contribution.kind == "question")
        .where(case.author_id == user.id, case.phase.in_(("draft", "questions")))
        .having(or_(case.phase == "draft", func.count(Contribution.id) > 0))
        .order_by((case.phase == "draft").asc(), case.updated_at.desc(), case.id.desc())
        .limit(SHOWN + 1)
    )
    return Section.of(list(db.session.execute(statement)))


def advice_requests(user: User) -> Section:
    """Cases on which the user's advice as expert was asked (oldest due date first)."""
    return Section.of(experts.open_request_rows(user, SHOWN + 1))


def upcoming_meetings(user: User) -> Section:
    """The next meetings of the user's communities, with the user's answer."""
    if not policy.member_community_ids(user):
        return EMPTY
    statement = (
        select(
            Meeting.id,
            Meeting.title,
            Meeting.kind,
            Meeting.starts_at,
            Meeting.ends_at,
            Community.slug,
            Community.name.label("community_name"),
            Rsvp.response,
            Rsvp.waitlisted,
        )
        .join(Community, Community.id == Meeting.community_id)
        .outerjoin(Rsvp, and_(Rsvp.meeting_id == Meeting.id, Rsvp.user_id == user.id))
        .where(policy.readable_meetings(user), Meeting.ends_at > utcnow())
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(SHOWN + 1)
    )
    return Section.of(list(db.session.execute(statement)))


def _has_open_memberships(user: User) -> bool:
    return any(
        m.status in ("requested", "invited", "declined")
        for m in user.memberships_by_community().values()
    )


def my_requests(user: User) -> Section:
    """The user's open join requests, open invitations and recently declined requests,
    in communities the user may know of."""
    if not policy.is_active_user(user) or not _has_open_memberships(user):
        return EMPTY
    now = utcnow()
    statement = (
        select(
            Membership.status,
            Membership.invitation_expires_at,
            Membership.created_at,
            Community.slug,
            Community.name.label("community_name"),
        )
        .join(Community, Community.id == Membership.community_id)
        .where(
            Membership.user_id == user.id,
            policy.visible_communities(user),
            or_(
                Membership.status == "requested",
                and_(Membership.status == "invited", Membership.invitation_expires_at > now),
                and_(
                    Membership.status == "declined",
                    Membership.decided_at > now - timedelta(days=DECLINED_SHOWN_DAYS),
                ),
            ),
        )
        .order_by(Membership.updated_at.desc(), Membership.id.desc())
        .limit(SHOWN + 1)
    )
    return Section.of(list(db.session.execute(statement)))


def library_news(user: User) -> Section:
    """Approaches recently taken into the library, on the themes of the user's communities."""
    if not policy.member_community_ids(user):
        return EMPTY
    my_themes = select(Community.theme_id).where(
        policy.member_communities(user), Community.theme_id.is_not(None)
    )
    statement = (
        select(
            Approach.id,
            Approach.title,
            Approach.summary,
            Approach.library_approved_at,
            Organisation.name.label("organisation_name"),
        )
        .outerjoin(Organisation, Organisation.id == Approach.organisation_id)
        .where(
            policy.readable_approaches(user),
            Approach.scope == "library",
            Approach.library_approved_at > utcnow() - timedelta(days=LIBRARY_NEW_DAYS),
            Approach.theme_id.in_(my_themes),
        )
        .order_by(Approach.library_approved_at.desc(), Approach.id.desc())
        .limit(SHOWN + 1)
    )
    return Section.of(list(db.session.execute(statement)))
