"""Markdown as the plain text a reader sees: what the index holds and snippets show."""

from __future__ import annotations

from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False})

# Inline pieces that carry text; the rest (emphasis marks, link targets) is syntax.
_TEXT = {"text", "code_inline"}
_BREAKS = {"softbreak", "hardbreak"}


def plain_text(markdown: str) -> str:
    """The words of a Markdown text without its syntax, blocks separated by new lines."""
    if not markdown:
        return ""
    blocks: list[str] = []
    for token in _parser.parse(markdown):
        if token.type == "inline":
            pieces = [
                child.content if child.type in _TEXT else " "
                for child in token.children or []
                if child.type in _TEXT or child.type in _BREAKS or child.type == "image"
            ]
            # An image's description is text a reader sees (its alt), not its address.
            for child in token.children or []:
                if child.type == "image" and child.content:
                    pieces.append(" " + child.content)
            blocks.append("".join(pieces).strip())
        elif token.type in ("code_block", "fence"):
            blocks.append(token.content.strip())
    return "\n".join(block for block in blocks if block)
