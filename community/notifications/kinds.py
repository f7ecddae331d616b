"""The registry of notification kinds.

A feature registers its kinds here (text, link, audience); the notification
centre, the unread count and the e-mails only go through this registry, so new
kinds need no change to the centre.

Audience decides who still sees a notification later: `personal` (about the
recipient's own membership; always shown), `member` (only while an active member
of the notification's community) and `moderator` (only while moderating it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

AUDIENCES = ("personal", "member", "moderator")


@dataclass(frozen=True)
class Kind:
    name: str
    audience: str
    text: Callable[[Any], str]  # notification -> one sentence, no community content
    link: Callable[[Any], str]  # notification -> path on this site
    # Admins act as moderators for membership matters, not for content: a moderator
    # kind about content (a case title) needs a real moderator membership.
    for_admins: bool = True
    # notification -> a further paragraph for the e-mail only (e.g. the moderator's
    # message to an applicant); for personal kinds, whose recipient it is written to.
    detail: Callable[[Any], str] | None = None


KINDS: dict[str, Kind] = {}


def register(
    name: str,
    audience: str,
    text: Callable[[Any], str],
    link: Callable[[Any], str],
    *,
    for_admins: bool = True,
    detail: Callable[[Any], str] | None = None,
) -> Kind:
    if audience not in AUDIENCES:
        raise ValueError(audience)
    if detail is not None and audience != "personal":
        raise ValueError("only a personal kind carries a detail")
    kind = Kind(name, audience, text, link, for_admins, detail)
    KINDS[name] = kind
    return kind


def names_for(audience: str, *, for_admins: bool | None = None) -> list[str]:
    return [
        kind.name
        for kind in KINDS.values()
        if kind.audience == audience and (for_admins is None or kind.for_admins == for_admins)
    ]
