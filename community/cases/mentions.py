"""@mentions in a contribution: `@Voornaam Achternaam` names a member of the community.

The rule: after an @ (not inside a word or an e-mail address, not in code or a link)
stand up to five words; the longest run of them that is the full name of an active
account (case-insensitive) is the mention. A member of the case's community is linked
to their profile and notified; anyone else is named back to the author, who is told
that they were not notified. One query, however many mentions a text holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from community import markdown, policy
from community.extensions import db
from community.models import Community, Membership, User

MAX_WORDS = 5
_WORDS = re.compile(r"[^\W_][\w'’-]*(?:[ \t]+[^\W_][\w'’-]*){0,4}")  # up to MAX_WORDS
_SPACE = re.compile(r"[ \t]+")


@dataclass
class Mentions:
    """Who a text mentions: members (name -> user ids) and the names of non-members."""

    members: dict[str, list[int]] = field(default_factory=dict)  # lower-case name -> ids
    outsiders: list[str] = field(default_factory=list)  # as written, in order, once each

    @property
    def member_ids(self) -> set[int]:
        return {user_id for ids in self.members.values() for user_id in ids}

    @property
    def links(self) -> dict[str, int]:
        """For `markdown.render`: each mentioned name links to its (first) member."""
        return {name: min(ids) for name, ids in self.members.items()}


def _runs(source: str) -> list[list[str]]:
    """For every @ in plain text: the words after it, as prefixes (longest first)."""
    runs = []
    for text in markdown.plain_texts(source):
        for start in markdown.MENTION_START.finditer(text):
            words = _WORDS.match(text, start.end())
            if words is None:
                continue
            parts = _SPACE.split(words.group(0))
            runs.append([" ".join(parts[:n]) for n in range(len(parts), 0, -1)])
    return runs


def find_mentions(community: Community, source: str) -> Mentions:
    """The members of `community` and the other accounts that `source` mentions."""
    runs = _runs(source)
    found = Mentions()
    candidates = {candidate.lower() for run in runs for candidate in run}
    if not candidates:
        return found
    rows = db.session.execute(
        select(User.id, User.name, Membership.id)
        .outerjoin(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.community_id == community.id,
                policy.active_memberships(),
            ),
        )
        .where(User.status == "active", func.lower(User.name).in_(sorted(candidates)))
        .order_by(User.id)
    ).all()
    members: dict[str, list[int]] = {}
    accounts: set[str] = set()
    for user_id, name, membership_id in rows:
        accounts.add(name.lower())
        if membership_id is not None:
            members.setdefault(name.lower(), []).append(user_id)
    for run in runs:
        for candidate in run:  # longest first
            key = candidate.lower()
            if key in members:
                found.members[key] = members[key]
                break
            if key in accounts:
                if candidate not in found.outsiders:
                    found.outsiders.append(candidate)
                break
    return found
