"""Daily and weekly digests: one e-mail per user with what happened in their communities.

Only notifications that were not mailed before, only for communities the recipient is
still an active member of at send time, titles and links only. Nothing new: no mail.
A user gets at most one digest per period, also when the job runs more often.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from community import mail
from community.extensions import db
from community.models import Notification, User
from community.models.base import AMSTERDAM, utcnow
from community.notifications.kinds import KINDS
from community.notifications.services import visibility_params, visible_clause
from community.notifications.unsubscribe import unsubscribe_token as unsubscribe_token
from community.notifications.unsubscribe import unsubscribe_url

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def _due(period: str, now: datetime) -> datetime:
    """Users whose last digest is older than this get one now."""
    today = now.astimezone(AMSTERDAM).replace(hour=0, minute=0, second=0, microsecond=0)
    return today if period == "daily" else today - PERIODS["weekly"] + timedelta(days=1)


def send_digests(period: str, now: datetime | None = None) -> int:
    """Send the digests of `period` that are due; returns how many e-mails were queued."""
    now = now or utcnow()
    due_before = _due(period, now)
    users = db.session.scalars(
        select(User).where(
            User.status == "active",
            User.email_mode == period,
            or_(User.last_digest_at.is_(None), User.last_digest_at < due_before),
        )
    ).all()
    sent = 0
    for user in users:
        claimed = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.last_digest_at.is_(None), User.last_digest_at < due_before),
            )
            .values(last_digest_at=now)
            .execution_options(synchronize_session=False)
        )
        if not getattr(claimed, "rowcount", 0):
            continue  # another worker took this one
        sent += _send_one(user, now)
        user.forget_memberships()
    return sent


def _send_one(user: User, now: datetime) -> int:
    items = list(
        db.session.scalars(
            select(Notification)
            .where(
                visible_clause(user),
                Notification.digested_at.is_(None),
                Notification.created_at <= now,
            )
            .order_by(Notification.community_id, Notification.created_at),
            visibility_params(user),
        )
    )
    if not items:
        return 0
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    with force_locale(user.locale):
        for _community, group in groupby(items, key=lambda n: n.community_id):
            entries = list(group)
            name = entries[0].data.get("community_name") or str(_l("Algemeen"))
            groups.append(
                (
                    name,
                    [
                        (KINDS[n.kind].text(n), mail.site_url(KINDS[n.kind].link(n)))
                        for n in entries
                    ],
                )
            )
        mail.enqueue(
            user.email,
            str(_l("Je overzicht van Leerkring")),
            "digest",
            user=user,
            groups=groups,
            unsubscribe=unsubscribe_url(user),
        )
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([n.id for n in items]))
        .values(digested_at=now)
        .execution_options(synchronize_session=False)
    )
    return 1
