"""What a search hit shows: a piece of the text with the words marked, all escaped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markupsafe import Markup

from community.models import SearchDocument

SNIPPET = 220


def snippet(body: str, words: list[str]) -> Markup:
    """A piece of the text around the first match; each piece escaped, matches marked."""
    lowered = body.lower()
    positions = [lowered.find(w) for w in words if lowered.find(w) >= 0]
    start = max(min(positions) - SNIPPET // 3, 0) if positions else 0
    piece = " ".join(body[start : start + SNIPPET].split())
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ")", re.I) if words else None
    parts = pattern.split(piece) if pattern else [piece]
    # split() with a group alternates text and matches: escape both, mark the matches
    marked = "".join(
        f"<mark>{html.escape(part)}</mark>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET < len(body) else ""
    return Markup(prefix + marked + suffix)  # noqa: S704 - every piece is escaped


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    snippet: Markup
    url: str
    community_name: str
