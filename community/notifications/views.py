"""The notification centre."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from community.formtools import flash_success, posted
from community.notifications import grouping, services
from community.pagination import MAX_ID, id_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("")
def list_notifications() -> str:
    before = id_arg("before")
    rows, older = services.notifications_page(current_user, before)
    return render_template(
        "notifications/list.html",
        items=grouping.items(rows),
        older=older,
        paged=before is not None,
    )


@bp.route("/<int:notification_id>/open")
def open_notification(notification_id: int) -> BaseResponse:
    """Follow a notification: it is read from then on (as in Discourse and GitHub).

    A GET that marks one's own notification read; someone else's id is a 404. The page it
    leads to checks access itself, as it does for any link.
    """
    link = services.open_notification(current_user, notification_id)
    if link is None:
        abort(404)
    return redirect(link)


@bp.route("/read", methods=["POST"])
def mark_read() -> BaseResponse:
    raw = posted("id", "")
    notification_id = int(raw) if raw.isdecimal() and int(raw) <= MAX_ID else None
    services.mark_read(current_user, notification_id)
    if notification_id is None:
        flash_success(_("Alle meldingen zijn als gelezen gemarkeerd."))
    return redirect(url_for("notifications.list_notifications"))
