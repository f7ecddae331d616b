"""Notification kinds for meetings: the title and a link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for

from community.i18n import format_moment
from community.i18n import gettext as _
from community.notifications.kinds import register


def _link(n: Any) -> str:
    return url_for(
        "meetings.show_meeting", slug=n.community.slug, meeting_id=n.data.get("meeting_id")
    )


register(
    "meeting_changed",
    "member",
    lambda n: _(
        "De tijd of plaats van de bijeenkomst %(title)s is gewijzigd",
        title=n.data.get("meeting_title", ""),
    ),
    _link,
)
register(
    "meeting_place_free",
    "member",
    lambda n: _(
        "Er is een plaats vrijgekomen: je staat nu op de deelnemerslijst van %(title)s",
        title=n.data.get("meeting_title", ""),
    ),
    _link,
)
register(
    "meeting_scheduled",
    "member",
    lambda n: _(
        "Nieuwe bijeenkomst in %(community)s: %(title)s",
        community=n.data.get("community_name", ""),
        title=n.data.get("meeting_title", ""),
    ),
    _link,
)
register(
    "meeting_reminder",
    "member",
    lambda n: _(
        "Herinnering: %(title)s begint op %(moment)s",
        title=n.data.get("meeting_title", ""),
        moment=_starts(n),
    ),
    _link,
)


def _starts(n: Any) -> str:
    starts = n.data.get("starts_at")
    return format_moment(datetime.fromisoformat(starts)) if starts else ""
