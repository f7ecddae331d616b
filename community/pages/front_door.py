"""The public front door: what Leerkring is, who may join and which communities exist.

Nothing of any community's content: the organisations that take part (seeded, public
anyway) and the communities `policy.front_door_communities()` lets anyone see, with
their name, theme and purpose. No counts, no cases, never a secret community.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community import policy
from community.extensions import db
from community.models import Community, Organisation, Theme


def organisations() -> tuple[list[Any], list[Any]]:
    """The participating cities and the partner organisations, each by name."""
    rows = db.session.execute(
        select(Organisation.name, Organisation.kind).order_by(Organisation.name)
    ).all()
    cities = [r for r in rows if r.kind == "gemeente"]
    partners = [r for r in rows if r.kind != "gemeente"]
    return cities, partners


def communities() -> list[Any]:
    """The communities anyone may know of: name, purpose and theme."""
    return list(
        db.session.execute(
            select(
                Community.name,
                Community.summary,
                Community.description_html,
                Theme.name_nl,
                Theme.name_en,
            )
            .outerjoin(Theme, Theme.id == Community.theme_id)
            .where(policy.front_door_communities())
            .order_by(Community.name)
        )
    )
