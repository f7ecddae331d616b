"""Notification kinds for moderation."""

from __future__ import annotations

from flask import url_for

from community.i18n import gettext as _
from community.notifications.kinds import register

register(
    "flag_handled",
    "personal",
    lambda n: _("De moderatoren hebben je rapportage afgehandeld. Dank je."),
    lambda n: url_for("notifications.list_notifications"),
)


def _reason(n: object) -> str:
    from community.labels import flag_reason_label

    return str(flag_reason_label(str(getattr(n, "data", {}).get("reason") or "other")))


# To the community's moderators: which community and why, never what was reported
# (they read that in the review queue, which checks that they still moderate it).
register(
    "flag_reported",
    "moderator",
    lambda n: _(
        "Er is een nieuwe rapportage in %(community)s (%(reason)s).",
        community=str(n.data.get("community_name") or ""),
        reason=_reason(n),
    ),
    lambda n: url_for("moderation.show_queue", section="flags"),
    for_admins=False,
)
