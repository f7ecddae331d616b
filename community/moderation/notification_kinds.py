"""Notification kinds for moderation."""

from __future__ import annotations

from flask import url_for

from community.i18n import gettext as _
from community.notifications.kinds import register

register(
    "flag_handled",
    "personal",
    lambda n: _("De moderatoren hebben je melding afgehandeld. Dank je."),
    lambda n: url_for("notifications.list_notifications"),
)
