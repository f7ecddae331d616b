"""Downloads: access is checked through the file's owner at every request."""

from __future__ import annotations

from flask import Blueprint, Response, abort, send_file
from flask_login import current_user

from community import policy, storage
from community.extensions import db
from community.models import Attachment, Case, Contribution

bp = Blueprint("files", __name__)


def owning_case(attachment: Attachment) -> Case | None:
    if attachment.owner_type == "case":
        return db.session.get(Case, attachment.owner_id)
    contribution = db.session.get(Contribution, attachment.owner_id)
    return contribution.case if contribution is not None else None


@bp.route("/files/<int:attachment_id>")
def download_file(attachment_id: int) -> Response:
    attachment = db.session.get(Attachment, attachment_id)
    case = owning_case(attachment) if attachment is not None else None
    if attachment is None or not policy.can_view_case(current_user, case):
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
    response.headers["Cache-Control"] = "private, no-store"
    return response
