"""Similar notifications shown as one ("3 nieuwe bijdragen bij de casus …"), as Discourse
and GitHub do.

Unread notifications of a grouped kind about the same thing (new contributions to one
case, join requests or reports in one community) become one item on the page, where
the newest of them stood. It opens at the
oldest, so the reader starts at the first new contribution, and opening or marking it
read takes the whole group (`group_of`). Grouping works on the page already loaded: no
query more, however many there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.lists import format_list
from sqlalchemy import ColumnElement, and_

from community.i18n import current_language, gettext, moment_formatter, ngettext
from community.models import Notification
from community.notifications.kinds import KINDS

NAMES_SHOWN = 3


@dataclass(frozen=True)
class Grouping:
    per: str  # "target": per case (the notification's target); "community": per community
    text: Callable[[int, Notification], str]  # (how many, the newest) -> the line


def _contributions(count: int, n: Notification) -> str:
    return ngettext(
        "%(num)s nieuwe bijdrage bij de casus %(title)s",
        "%(num)s nieuwe bijdragen bij de casus %(title)s",
        count,
        title=str(n.data.get("case_title") or ""),
    )


def _requests(count: int, n: Notification) -> str:
    return ngettext(
        "%(num)s nieuwe aanvraag voor lidmaatschap van %(community)s",
        "%(num)s nieuwe aanvragen voor lidmaatschap van %(community)s",
        count,
        community=str(n.data.get("community_name") or ""),
    )


def _reports(count: int, n: Notification) -> str:
    return ngettext(
        "%(num)s nieuwe rapportage in %(community)s",
        "%(num)s nieuwe rapportages in %(community)s",
        count,
        community=str(n.data.get("community_name") or ""),
    )


# Kinds that are grouped while unread, and what they are grouped by.
GROUPED = {
    "contribution_added": Grouping("target", _contributions),
    "join_requested": Grouping("community", _requests),
    "flag_reported": Grouping("community", _reports),
}


@dataclass(frozen=True)
class Item:
    """One line of the notification centre: one notification, or a group of them."""

    opens: Notification  # the one the link opens (of a group: the oldest)
    text: str
    moment: str  # when the newest happened
    unread: bool
    count: int


Key = tuple[str, str | None, int | None]


def _key(notification: Notification) -> Key | None:
    grouping = GROUPED.get(notification.kind)
    if grouping is None or notification.read_at is not None:
        return None
    if grouping.per == "community":
        return (notification.kind, None, notification.community_id)
    return (notification.kind, notification.target_type, notification.target_id)


def items(rows: Iterable[Notification]) -> list[Item]:
    """The page's notifications (newest first) as the centre lists them."""
    language = current_language()
    moment = moment_formatter(language)
    groups: list[list[Notification]] = []
    open_groups: dict[Key, list[Notification]] = {}
    for notification in rows:
        key = _key(notification)
        if key is not None and key in open_groups:
            open_groups[key].append(notification)
            continue
        group = [notification]
        groups.append(group)
        if key is not None:
            open_groups[key] = group
    return [
        Item(
            opens=group[-1],
            text=_text(group, language),
            moment=moment(group[0].created_at),
            unread=group[0].read_at is None,
            count=len(group),
        )
        for group in groups
    ]


def _text(group: list[Notification], language: str) -> str:
    first = group[0]
    if len(group) == 1:
        return KINDS[first.kind].text(first)
    names: list[str] = []
    for notification in group:
        name = notification.actor.name if notification.actor is not None else None
        if name and name not in names:
            names.append(name)
    shown = names[:NAMES_SHOWN]
    if len(names) > len(shown):
        shown.append(ngettext("%(num)s ander", "%(num)s anderen", len(names) - len(shown)))
    text = GROUPED[first.kind].text(len(group), first)
    if not shown:
        return text
    return gettext("%(text)s, van %(names)s", text=text, names=format_list(shown, locale=language))


def group_of(notification: Notification) -> ColumnElement[bool]:
    """The recipient's unread notifications that are shown together with `notification`
    (only itself when its kind is not grouped)."""
    grouping = GROUPED.get(notification.kind)
    if grouping is None:
        return Notification.id == notification.id
    same = (
        [Notification.community_id == notification.community_id]
        if grouping.per == "community"
        else [
            Notification.target_type == notification.target_type,
            Notification.target_id == notification.target_id,
        ]
    )
    return and_(
        Notification.recipient_id == notification.recipient_id,
        Notification.kind == notification.kind,
        Notification.read_at.is_(None),
        *same,
    )
