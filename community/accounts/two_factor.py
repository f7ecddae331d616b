"""Two-factor login: TOTP (pyotp) with a QR code as SVG, and ten single-use recovery codes."""

from __future__ import annotations

import hashlib
import io
import secrets
import time

import pyotp
import segno
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from community import audit
from community.accounts import passwords
from community.exceptions import DomainError
from community.extensions import db
from community.models import RecoveryCode, User
from community.models.base import utcnow

ISSUER = "Leerkring"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_svg(secret: str, email: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no JavaScript, no external service)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out,
        kind="svg",
        scale=4,
        xmldecl=False,
        svgns=True,
        title=_("QR-code voor je authenticator-app"),
    )
    return out.getvalue().decode()


def _step(now: float | None = None) -> int:
    return int((now or time.time()) // 30)


def _valid_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step the code belongs to (one step of clock drift either way), or None."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.at(step * 30), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def enable(user: User, secret: str, password: str, code: str, ip: str | None) -> list[str]:
    """Turn on 2FA after the password and a first code; returns the recovery codes (shown once)."""
    if not passwords.verify_password(user.password_hash, password):
        raise DomainError("password", _("Je wachtwoord klopt niet."))
    step = _valid_step(secret, code)
    if step is None:
        raise DomainError("code", _("Deze code klopt niet. Kijk in je app en probeer het opnieuw."))
    user.totp_secret = secret
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    audit.record("2fa.enabled", actor=user, target=user, ip=ip)
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(code)))
    return codes


def verify(user: User, code: str, ip: str | None, now: float | None = None) -> bool:
    """Check a TOTP code (each one only once) or a recovery code (each one only once)."""
    if user.totp_secret is None:
        return False
    step = _valid_step(user.totp_secret, code, now)
    if step is not None:
        claimed = db.session.execute(
            update(User)
            .where(User.id == user.id)
            .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        )
        ok = bool(getattr(claimed, "rowcount", 0))
    else:
        recovery = db.session.scalar(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash(code),
                RecoveryCode.used_at.is_(None),
            )
        )
        ok = recovery is not None
        if recovery is not None:
            recovery.used_at = utcnow()
            audit.record("2fa.recovery_code_used", actor=user, target=user, ip=ip)
    if not ok:
        audit.record("2fa.failed", actor=user, target=user, ip=ip)
    return ok


def reset_by_admin(admin: User, user: User, ip: str | None) -> None:
    """A lost device: an administrator turns 2FA off; the user sets it up again."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.rotate_session_token()
    audit.record("2fa.reset_by_admin", actor=admin, target=user, ip=ip)


def needs_second_factor(user: User) -> bool:
    """Administrators and moderators must use 2FA before they use those powers."""
    if user.platform_role == "admin":
        return True
    return any(
        m.status == "active" and m.role == "moderator"
        for m in user.memberships_by_community().values()
    )
