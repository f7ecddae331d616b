"""Spotting a citizen service number (BSN) in text: nine digits that pass the elfproef."""

from __future__ import annotations

import re

_NINE_DIGITS = re.compile(r"(?<![0-9])[0-9]{9}(?![0-9])")


def _elfproef(number: str) -> bool:
    digits = [int(c) for c in number]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    return any(digits) and (total - digits[8]) % 11 == 0


def bsn_like(text: str) -> bool:
    """True when `text` holds a 9-digit number (not part of a longer one) passing the elfproef."""
    return any(_elfproef(match.group()) for match in _NINE_DIGITS.finditer(text))
