"""Markdown to sanitised HTML, in one place (with @mentions of members as links)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _image_as_link(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """No images from elsewhere in community content: show them as a plain link."""
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src") or ""))
    alt = escapeHtml(token.content or src)
    return f'<a href="{src}">{alt}</a>'


_md.add_render_rule("image", _image_as_link)

# An @ that starts a mention: not inside a word or an e-mail address.
MENTION_START = re.compile(r"(?<![\w@.])@(?=\w)")


def _plain_text_tokens(tokens: list[Token]) -> Iterator[tuple[Token, list[Token], int]]:
    """Text outside code and links: (token, its siblings, its index among them)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        in_link = 0
        for index, token in enumerate(block.children):
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            elif token.type == "text" and not in_link and "@" in token.content:
                yield token, block.children, index


def plain_texts(source: str) -> list[str]:
    """The text where a mention may stand: not in code, not in a link (as `render` sees it)."""
    return [token.content for token, _s, _i in _plain_text_tokens(_md.parse(source or ""))]


def _mention_at(text: str, start: int, names: list[tuple[str, int]]) -> tuple[int, int] | None:
    """(end, user id) of the longest known name right after the @ at `start`."""
    for name, user_id in names:  # longest first
        end = start + 1 + len(name)
        if text[start + 1 : end].lower() == name and not (end < len(text) and text[end].isalnum()):
            return end, user_id
    return None


def _split_mentions(token: Token, names: list[tuple[str, int]]) -> list[Token]:
    text, pieces, done = token.content, [], 0
    for match in MENTION_START.finditer(text):
        if match.start() < done:
            continue
        found = _mention_at(text, match.start(), names)
        if found is None:
            continue
        end, user_id = found
        if match.start() > done:
            pieces.append(Token("text", "", 0, content=text[done : match.start()]))
        pieces.append(Token("link_open", "a", 1, attrs={"href": f"/people/{user_id}"}))
        pieces.append(Token("text", "", 0, content=text[match.start() : end]))
        pieces.append(Token("link_close", "a", -1))
        done = end
    if not pieces:
        return [token]
    if done < len(text):
        pieces.append(Token("text", "", 0, content=text[done:]))
    return pieces


def _mentions_rule(state: StateCore) -> None:
    """Members mentioned as `@Voornaam Achternaam` link to their profile (env "mentions")."""
    mentions = state.env.get("mentions") if isinstance(state.env, dict) else None
    if not mentions:
        return
    names = sorted(mentions.items(), key=lambda item: -len(item[0]))
    found = list(_plain_text_tokens(state.tokens))
    for token, siblings, index in reversed(found):  # from the end: indexes stay valid
        siblings[index : index + 1] = _split_mentions(token, names)


_md.core.ruler.push("mentions", _mentions_rule)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


def render(source: str, mentions: Mapping[str, int] | None = None) -> str:
    """Render Markdown with raw HTML off, then sanitise; only http(s) and mailto links.

    `mentions`: lower-case full names of members -> user id; `@Name` becomes a link to
    the profile (community.cases.mentions decides who counts)."""
    html = _md.render(source or "", {"mentions": dict(mentions or {})})
    # Headings start at h2: the page owns h1.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
