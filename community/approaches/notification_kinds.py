"""Notification kinds for approaches: the title and a link, never the text."""

from __future__ import annotations

from typing import Any

from flask import url_for

from community.i18n import gettext as _
from community.labels import adoption_status_label
from community.notifications.kinds import register


def _title(n: Any) -> str:
    return str(n.data.get("approach_title") or "")


def _actor(n: Any) -> str:
    return str(n.actor.name) if n.actor else _("Iemand")


def _link(n: Any) -> str:
    return url_for("approaches.show_approach", approach_id=n.data.get("approach_id", n.target_id))


register(
    "approach_share_requested",
    "moderator",
    lambda n: _(
        "%(actor)s vraagt de aanpak %(title)s in de bibliotheek te zetten",
        actor=_actor(n),
        title=_title(n),
    ),
    _link,
    for_admins=False,
)
register(
    "approach_shared",
    "member",
    lambda n: _("Je aanpak %(title)s staat nu in de bibliotheek", title=_title(n)),
    _link,
)
register(
    "approach_adopted",
    "member",
    lambda n: _(
        "%(organisation)s meldt bij de aanpak %(title)s: %(status)s",
        organisation=n.data.get("organisation_name", ""),
        title=_title(n),
        status=adoption_status_label(n.data.get("status", "")),
    ),
    _link,
)
