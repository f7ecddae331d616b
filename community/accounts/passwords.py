"""Password rules (length and a bundled list of common passwords) and hashing."""

from __future__ import annotations

from functools import cache
from importlib import resources

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128

# Compared against when the address is unknown, so a login takes as long either way.
_DUMMY_HASH_CACHE: dict[str, str] = {}


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("community").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def is_common(password: str) -> bool:
    lowered = password.lower()
    return lowered in common_passwords() or len(set(lowered)) <= 2


def hash_password(password: str) -> str:
    if len(password) > MAX_LENGTH:
        raise ValueError("password too long")
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    if password_hash is None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH_CACHE:
            _DUMMY_HASH_CACHE[method] = generate_password_hash("x" * MIN_LENGTH, method=method)
        check_password_hash(_DUMMY_HASH_CACHE[method], password)
        return False
    return check_password_hash(password_hash, password)
