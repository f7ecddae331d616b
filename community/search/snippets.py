"""What a search hit shows: a piece of the text with the words marked, all escaped.

The piece starts and ends at word boundaries; a word is marked when its stem is one the
query searched (so "winkels" is marked for "winkel"). The documents hold plain text
(indexing turns Markdown into what a reader sees).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

from community.models import SearchDocument
from community.search.stemming import stem

SNIPPET = 220
WORD = re.compile(r"\w+", re.UNICODE)


def _window(body: str, first: int) -> tuple[int, int]:
    """About SNIPPET characters around `first`, widened or narrowed to whole words."""
    start = max(first - SNIPPET // 3, 0)
    if start > 0:
        space = body.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = start + SNIPPET
    if end < len(body):
        space = body.rfind(" ", start, end + 1)
        end = space if space > start else end
    return start, min(end, len(body))


def snippet(body: str, stems: Iterable[str]) -> Markup:
    """A piece of the text around the first match; each piece escaped, matches marked."""
    wanted = set(stems)
    first = next(
        (found.start() for found in WORD.finditer(body) if stem(found.group()) in wanted), 0
    )
    start, end = _window(body, first)
    piece = " ".join(body[start:end].split())
    out, at = [], 0
    for found in WORD.finditer(piece):
        if stem(found.group()) in wanted:
            out.append(html.escape(piece[at : found.start()]))
            out.append(f"<mark>{html.escape(found.group())}</mark>")
            at = found.end()
    out.append(html.escape(piece[at:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(body) else ""
    return Markup(prefix + "".join(out) + suffix)  # noqa: S704 - every piece is escaped


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    snippet: Markup
    url: str
    community_name: str


@dataclass(frozen=True)
class Group:
    """The hits of one case (the case itself and its contributions), or one other hit."""

    title: str
    url: str  # the case's page, or the hit's own
    hits: list[Hit]
    case: bool


def group_by_case(hits: list[Hit], case_url: Callable[[SearchDocument], str]) -> list[Group]:
    """Hits of the same case together, in the order their first hit came."""
    groups: list[Group] = []
    by_case: dict[int, Group] = {}
    for hit in hits:
        document = hit.document
        if document.kind not in ("case", "contribution") or document.case_id is None:
            groups.append(Group(document.title, hit.url, [hit], False))
            continue
        group = by_case.get(document.case_id)
        if group is None:
            group = Group(document.title, case_url(document), [], True)
            by_case[document.case_id] = group
            groups.append(group)
        group.hits.append(hit)
    return groups
