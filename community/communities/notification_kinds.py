"""Notification kinds for membership events (texts name the community, never its content)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from community.i18n import gettext as _
from community.notifications.kinds import register


def _name(n: Any) -> str:
    return str(n.data.get("community_name") or "")


def _actor(n: Any) -> str:
    return str(n.actor.name) if n.actor else _("Iemand")


def _home(n: Any) -> str:
    return url_for("communities.show_community", slug=n.community.slug)


def _members(n: Any) -> str:
    return url_for("members.list_members", slug=n.community.slug)


def _role(n: Any) -> str:
    from community.labels import role_label

    return role_label(n.data.get("role", "member"))


register(
    "join_requested",
    "moderator",
    lambda n: _(
        "%(actor)s vraagt lidmaatschap aan van %(community)s.", actor=_actor(n), community=_name(n)
    ),
    _members,
)


def _message(n: Any) -> str:
    """The moderator's message to the applicant, for the e-mail (none: nothing)."""
    message = str(n.data.get("message") or "").strip()
    if not message:
        return ""
    return _("Bericht van de moderator:") + "\n" + message


register(
    "request_approved",
    "personal",
    lambda n: _("Je aanvraag voor %(community)s is goedgekeurd. Welkom!", community=_name(n)),
    _home,
    detail=_message,
)
register(
    "request_declined",
    "personal",
    lambda n: _("Je aanvraag voor %(community)s is afgewezen.", community=_name(n)),
    lambda n: url_for("communities.list_communities"),
    detail=_message,
)
register(
    "invited",
    "personal",
    lambda n: _(
        "%(actor)s nodigt je uit voor de leergemeenschap %(community)s.",
        actor=_actor(n),
        community=_name(n),
    ),
    _home,
)
register(
    "invitation_accepted",
    "moderator",
    lambda n: _(
        "%(actor)s heeft de uitnodiging voor %(community)s aangenomen.",
        actor=_actor(n),
        community=_name(n),
    ),
    _members,
)
register(
    "role_changed",
    "personal",
    lambda n: _("Je rol in %(community)s is nu: %(role)s.", community=_name(n), role=_role(n)),
    _home,
)
register(
    "removed",
    "personal",
    lambda n: _("Je bent verwijderd uit %(community)s.", community=_name(n)),
    lambda n: url_for("communities.list_communities"),
)
