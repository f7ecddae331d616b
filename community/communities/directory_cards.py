"""The communities on a page of the directory, formatted for the list in one pass.

As for a community's case list (case_cards.py): labels, theme names and the catalogue
are looked up once for the page, not per card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for

from community import i18n, labels
from community.models import Community, Theme

# The membership statuses the directory names on a card ("Jouw status: ...").
SHOWN_STATUSES = ("active", "requested", "invited")


@dataclass(frozen=True)
class DirectoryCard:
    url: str
    name: str
    theme: str  # the theme's name, "" without a theme
    members: str  # "12 leden", "" where the user may not see the count
    secret: bool
    status: str  # the user's role or membership status, "" when none is shown
    summary: str


def directory_cards(
    communities: Iterable[Community],
    counts: Mapping[int, int],
    memberships: Mapping[int, Any],
    themes: Iterable[Theme],
) -> list[DirectoryCard]:
    """One card per community. `counts` holds the member counts the user may see (and
    only those: `policy.can_see_member_count`), `memberships` the user's own rows by
    community id."""
    language = i18n.current_language()
    theme_names = {theme.id: theme.name(language) for theme in themes}
    roles = labels.role_labels()
    statuses = labels.membership_status_labels()
    cards = []
    for community in communities:
        membership = memberships.get(community.id)
        status = ""
        if membership is not None and membership.status in SHOWN_STATUSES:
            status = (
                roles.get(membership.role, membership.role)
                if membership.status == "active"
                else statuses.get(membership.status, membership.status)
            )
        count = counts.get(community.id)
        members = "" if count is None else i18n.ngettext("%(num)s lid", "%(num)s leden", count)
        cards.append(
            DirectoryCard(
                url=url_for("communities.show_community", slug=community.slug),
                name=community.name,
                theme=theme_names.get(community.theme_id, "") if community.theme_id else "",
                members=members,
                secret=community.visibility == "secret",
                status=status,
                summary=community.summary,
            )
        )
    return cards
