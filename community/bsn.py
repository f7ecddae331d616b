"""Spotting a citizen service number (BSN) in text: nine digits that pass the elfproef.

A BSN is written in several ways: ``123456782``, ``1234.56.782`` (as on a passport),
``123 456 782``, ``123-456-782`` or ``123.456.782``. A run of digit groups of two to four
digits, split by single spaces (also non-breaking ones), dots or hyphens, counts when it holds
nine digits in all and is not part of a longer number: a run that goes on (``06-12345678``,
``2024 12 31 1``) does not, nor does an amount with a decimal comma (``123.456.782,50``).
The elfproef keeps ordinary numbers from tripping the warning.
"""

from __future__ import annotations

import re

_SEPARATOR = "[ \u00a0.\\-]"
# Either nine digits in one block, or up to four groups (2-4 digits each, the first up to 9)
# split by a single separator. Before it: no digit, and no digit plus a separator; after it
# neither, so the match is a whole run of digit groups, never a piece of one.
_CANDIDATE = re.compile(
    rf"(?<![0-9])(?<![0-9]{_SEPARATOR})"
    rf"([0-9]{{2,9}}(?:{_SEPARATOR}[0-9]{{2,4}}){{0,3}})"
    rf"(?!{_SEPARATOR}?[0-9])(?!,[0-9])"
)


def _elfproef(number: str) -> bool:
    digits = [int(c) for c in number]
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    return any(digits) and (total - digits[8]) % 11 == 0


def bsn_like(text: str) -> bool:
    """True when `text` holds a 9-digit number, in any common notation, passing the elfproef."""
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(_SEPARATOR, "", match.group(1))
        if len(digits) == 9 and _elfproef(digits):
            return True
    return False
