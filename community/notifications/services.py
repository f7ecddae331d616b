"""Creating, listing and reading notifications, always scoped to what the user may see."""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import ScalarSelect

from community import mail, policy
from community.extensions import db
from community.models import Case, Community, Membership, Notification, User
from community.models.base import utcnow
from community.notifications.grouping import group_of
from community.notifications.kinds import KINDS
from community.notifications.unsubscribe import unsubscribe_url


def notify(
    recipient: User,
    kind: str,
    *,
    community: Community | None = None,
    actor: User | None = None,
    target: Any = None,
    email: bool = True,
    **data: Any,
) -> Notification | None:
    """Add an in-app notification and, by default, an e-mail with the event and a link.

    Community activity respects the recipient's follow level for that community;
    the e-mail follows their e-mail mode (digests collect the rest later). For many
    recipients at once use `notify_members`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not _follows(recipient, kind, community, data):
        return None
    notification = Notification(
        recipient_id=recipient.id,
        kind=kind,
        community=community,
        actor=actor,
        target_type=type(target).__tablename__ if target is not None else None,
        target_id=getattr(target, "id", None),
        # The name as it was: a later rename must not reach people who have left.
        data={**data, "community_name": community.name if community else None},
    )
    db.session.add(notification)
    if email and _wants_mail(recipient, kind):
        notification.digested_at = utcnow()  # mailed already: no digest repeats it
        mail.enqueue_many([_draft(recipient, kind, notification, community)])
    return notification


def notify_members(
    kind: str,
    *,
    community: Community,
    who: ColumnElement[bool] | None = None,
    role: str | None = None,
    exclude: int | None = None,
    kind_for: dict[int, str] | None = None,
    actor: User | None = None,
    target: Any = None,
    email: bool = True,
    **data: Any,
) -> int:
    """`notify` for the active members of `community` (with `role`, matching `who`, but
    not `exclude`), in a constant number of statements however many they are.

    One query reads the recipients with their follow level and mail settings
    (`policy.active_memberships`), one INSERT adds every notification and one the
    e-mails (rendered per recipient, in their language). `kind_for` gives some
    recipients another kind of the same audience (the author of a case hears of
    expert advice). Returns the number of notifications.
    """
    kinds = {kind, *(kind_for or {}).values()}
    if not kinds <= KINDS.keys():
        raise ValueError(f"unknown notification kind in {sorted(kinds)!r}")
    if len({KINDS[k].audience for k in kinds}) != 1:
        raise ValueError("one audience per call")
    recipients = (
        select(User, Membership.follow)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id, policy.active_memberships(role))
        .order_by(User.id)
    )
    if who is not None:
        recipients = recipients.where(who)
    if exclude is not None:
        recipients = recipients.where(User.id != exclude)
    people = [(row[0], row[1]) for row in db.session.execute(recipients)]
    case_id = data.get("case_id")
    author_id: int | None = None
    if case_id and any(follow == "mine" for _user, follow in people):
        author_id = db.session.scalar(select(Case.author_id).where(Case.id == case_id))
    now = utcnow()
    stored = {**data, "community_name": community.name}
    rows: list[dict[str, Any]] = []
    drafts: list[mail.Draft] = []
    for person, follow in people:
        person_kind = (kind_for or {}).get(person.id, kind)
        if not _follow_level_allows(follow, person_kind, author_id == person.id):
            continue
        mailed = email and _wants_mail(person, person_kind)
        rows.append(
            {
                "recipient_id": person.id,
                "kind": person_kind,
                "community_id": community.id,
                "actor_id": actor.id if actor is not None else None,
                "target_type": type(target).__tablename__ if target is not None else None,
                "target_id": getattr(target, "id", None),
                "data": stored,
                "created_at": now,
                "digested_at": now if mailed else None,  # mailed already: no digest repeats it
            }
        )
        if mailed:
            note = Notification(
                kind=person_kind,
                community=community,
                actor=actor,
                target_id=getattr(target, "id", None),
                data=stored,
            )  # only to render the text and the link; never added to the session
            drafts.append(_draft(person, person_kind, note, community))
    if rows:
        db.session.execute(insert(Notification), rows)
    mail.enqueue_many(drafts)
    return len(rows)


def _wants_mail(recipient: User, kind: str) -> bool:
    personal = KINDS[kind].audience == "personal"
    wants = recipient.email_mode == "each" or (personal and recipient.email_mode != "none")
    return wants and recipient.status == "active"


def _draft(
    recipient: User, kind: str, notification: Notification, community: Community | None
) -> mail.Draft:
    """The notification's e-mail, in the recipient's language."""
    with force_locale(recipient.locale):
        text = KINDS[kind].text(notification)
        detail = KINDS[kind].detail
        return mail.draft(
            recipient.email,
            str(_l("Leerkring: %(text)s", text=text))[:255],
            "notification",
            user=recipient,
            text=text,
            detail=detail(notification) if detail is not None else "",
            link=mail.site_url(KINDS[kind].link(notification)),
            settings=mail.absolute_url("accounts.edit_account", _anchor="email_mode"),
            unsubscribe=unsubscribe_url(recipient),
            members_only=(community.id, recipient.id)
            if community is not None and KINDS[kind].audience != "personal"
            else None,
        )


# Kinds addressed to the recipient personally about their own work: they pass "mine".
ABOUT_YOU = frozenset(
    {
        "expert_requested",
        "expert_advice_given",
        "follow_up_requested",
        "mention",
        "meeting_place_free",
        "meeting_changed",  # sent only to those who said yes or maybe
        "meeting_reminder",  # likewise
    }
)


def _follows(recipient: User, kind: str, community: Community | None, data: dict[str, Any]) -> bool:
    if KINDS[kind].audience != "member" or community is None:
        return True
    membership = recipient.membership_in(community)
    level = membership.follow if membership is not None else "all"
    if level not in {"all", "none"} and kind not in ABOUT_YOU:
        case_id = data.get("case_id")
        author_id = (
            db.session.scalar(select(Case.author_id).where(Case.id == case_id)) if case_id else None
        )
        return _follow_level_allows(level, kind, author_id == recipient.id)
    return _follow_level_allows(level, kind, False)


def _follow_level_allows(level: str, kind: str, own_case: bool) -> bool:
    """Community activity by follow level: "all", "mine" (own cases, and what is about
    the recipient personally) or "none" (only what is about them personally)."""
    if KINDS[kind].audience != "member" or level == "all" or kind in ABOUT_YOU:
        return True
    if level == "none":
        return False
    return own_case


def visibility_params(user: User) -> dict[str, Any]:
    return policy.notification_params(user)


def visible_clause(user: User) -> ColumnElement[bool]:
    """What the user may see (`policy.notification_scope`), run with `visibility_params`."""
    return policy.notification_scope(user)


def notifications_page(
    user: User, before: int | None = None, per_page: int = 25
) -> tuple[list[Notification], int | None]:
    """Newest first, `per_page` at a time after the keyset `before` (the last one seen);
    with the id to continue from, or None at the oldest. No count: a long history costs
    the same as a short one."""
    if not policy.is_active_user(user):
        return [], None
    statement = _page_statement(
        policy.is_acting_admin(user), tuple(KINDS), before is not None, per_page
    )
    parameters = visibility_params(user) | {"before": before}
    rows: list[Notification] = list(db.session.scalars(statement, parameters))
    more = len(rows) > per_page
    rows = rows[:per_page]
    return rows, rows[-1].id if more and rows else None


@functools.cache
def _page_statement(
    acting_admin: bool, kinds: tuple[str, ...], keyset: bool, per_page: int
) -> Select[tuple[Notification]]:
    statement = (
        select(Notification)
        .where(policy.notification_scope_for(acting_admin, kinds))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page + 1)
        # What the texts and links of the kinds read (notifications/kinds.py): the
        # community's slug and name and the actor's name, not their joined relations.
        .options(
            joinedload(Notification.community)
            .load_only(Community.slug, Community.name)
            .lazyload(Community.theme),
            joinedload(Notification.actor).load_only(User.name).lazyload(User.organisation),
        )
    )
    if keyset:
        before: BindParameter[int] = bindparam("before")
        anchor = (
            select(Notification.created_at)
            .where(
                Notification.id == before, Notification.recipient_id == bindparam("visible_user_id")
            )
            .scalar_subquery()
        )
        statement = statement.where(
            or_(
                Notification.created_at < anchor,
                and_(Notification.created_at == anchor, Notification.id < before),
            )
        )
    return statement


# The header shows the unread count up to this number, then "99+": counting stops there,
# so a long unread history costs no more on every page than a short one.
UNREAD_SHOWN = 99


def unread_count(user: User) -> int:
    """Unread notifications, counted up to UNREAD_SHOWN + 1.

    For the signed-in user the login check has counted them already, in its one
    statement (with `unread_in_sql`, the same scope), unless something changed since.
    """
    if not policy.is_active_user(user):
        return 0
    from community.accounts import login_check

    counted = login_check.unread_count(user.id)
    if counted is not None:
        return counted
    statement = _unread_statement(policy.is_acting_admin(user), tuple(KINDS), UNREAD_SHOWN)
    return int(db.session.scalar(statement, visibility_params(user)) or 0)


@functools.cache
def _unread_statement(acting_admin: bool, kinds: tuple[str, ...], shown: int) -> Select[int]:
    unread = (
        select(Notification.id)
        .where(policy.notification_scope_for(acting_admin, kinds), Notification.read_at.is_(None))
        .limit(shown + 1)
        .subquery()
    )
    return select(func.count()).select_from(unread)


@functools.cache
def unread_in_sql(
    kinds: tuple[str, ...], shown: int, second_factor_required: bool
) -> ScalarSelect[int]:
    """`unread_count` as a scalar subquery over `visible_user_id` alone (for an active
    account): the login check runs it in the statement that checks the session."""
    unread = (
        select(Notification.id)
        .where(
            policy.notification_scope_in_sql(kinds, second_factor_required),
            Notification.read_at.is_(None),
        )
        .limit(shown + 1)
        .subquery()
    )
    return select(func.count()).select_from(unread).scalar_subquery()


def open_notification(user: User, notification_id: int) -> str | None:
    """Mark the user's own visible notification read; where it leads (None: not theirs)."""
    if not policy.is_active_user(user):
        return None
    notification = db.session.scalar(
        select(Notification)
        .where(
            Notification.id == notification_id,
            Notification.recipient_id == user.id,
            visible_clause(user),
        )
        .options(joinedload(Notification.community)),
        visibility_params(user),
    )
    if notification is None:
        return None
    if notification.read_at is None:
        _mark(user, group_of(notification))  # and those shown together with it
    return describe(notification)[1]


def mark_read(user: User, notification_id: int | None) -> int:
    """Mark one (with those grouped with it) or, without an id, every notification of the
    user as read."""
    if notification_id is None:
        return _mark(user, None)
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.recipient_id == user.id
        )
    )
    if notification is None:
        return 0
    return _mark(user, group_of(notification))


def _mark(user: User, which: ColumnElement[bool] | None) -> int:
    statement = (
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if which is not None:
        statement = statement.where(which)
    result = db.session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def describe(notification: Notification) -> tuple[str, str]:
    kind = KINDS[notification.kind]
    return kind.text(notification), kind.link(notification)
