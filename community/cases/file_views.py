"""Downloads: access is checked through the file's owner at every request."""

from __future__ import annotations

from flask import Blueprint, Response, abort, send_file
from flask_login import current_user

from community import policy, storage
from community.extensions import db
from community.models import Approach, Attachment, Case, Contribution

bp = Blueprint("files", __name__)


def may_download(attachment: Attachment) -> bool:
    """Decided from the file's owner, at every download."""
    if attachment.owner_type == "approach":
        approach = db.session.get(Approach, attachment.owner_id)
        return policy.can_view_approach(current_user, approach)
    if attachment.owner_type == "case":
        case = owner = db.session.get(Case, attachment.owner_id)
    else:
        owner = db.session.get(Contribution, attachment.owner_id)
        case = owner.case if owner is not None else None
    if not policy.can_view_case(current_user, case):
        return False
    assert case is not None
    assert owner is not None
    # Hidden by a moderator: for the author and the moderators only.
    hidden = [obj for obj in (case, owner) if obj.hidden_at is not None]
    if isinstance(owner, Contribution) and owner.pending_review:
        hidden.append(owner)
    return all(policy.can_see_hidden(current_user, obj, case.community) for obj in hidden)


@bp.route("/files/<int:attachment_id>")
def download_file(attachment_id: int) -> Response:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not may_download(attachment):
        abort(404)
    response = send_file(
        storage.path_of(attachment.stored_name),
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.original_filename,
        max_age=0,
        conditional=False,
        etag=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Opened in the browser after all, an uploaded file runs nothing and reaches nothing.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response
