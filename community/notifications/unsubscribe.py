"""The signed unsubscribe link of digest and notification mail (and its List-Unsubscribe).

The token is the key: whoever holds the mail may stop its e-mail, without logging in
and without a CSRF token (RFC 8058 one-click from the mail client). It names the account
by id, signed with the secret key under a salt of its own; it reveals nothing else.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from community import mail
from community.extensions import db
from community.models import User

UNSUBSCRIBE = "leerkring-digest-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE)


def unsubscribe_token(user: User) -> str:
    return str(_serializer().dumps({"uid": user.id}))


def unsubscribe_url(user: User) -> str:
    """The absolute address that stops `user`'s e-mail (digests and notifications)."""
    return mail.absolute_url("pages.unsubscribe", token=unsubscribe_token(user))


def user_for_unsubscribe(token: str) -> User | None:
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(User, payload.get("uid", 0)) if isinstance(payload, dict) else None
