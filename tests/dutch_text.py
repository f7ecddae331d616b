"""Finding Dutch catalogue text on a page meant to be English (tests/test_english_pages.py).

What counts as Dutch: every msgid of the catalogue whose English msgstr differs from it,
cut into the literal pieces between its placeholders (`%(name)s`) and its HTML tags, each
piece stripped of punctuation. A piece is looked for as a whole phrase (not inside a
longer word, an e-mail address or a path), case-sensitively, in the page's visible text.

- A piece of two or more words is always looked for ("Ja, ik kom", "Wat speelt er").
- A single word is looked for too ("Nee", "Advies", "gemeente": the option labels), unless
  it is also English: it occurs as a word, in any case, in some English msgstr of the
  catalogue ("Start", "Moment"). Such a word can be right on an English page.

Visible text: the text of the HTML outside <script>/<style>, plus the attributes a person
reads or hears (title, aria-label, alt, placeholder, and the value of buttons).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

EN_PO = (
    Path(__file__).resolve().parents[1]
    / "community"
    / "translations"
    / "en"
    / "LC_MESSAGES"
    / "messages.po"
)
PLACEHOLDER_OR_TAG = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sd]|<[^>]*>")
EDGES = " \t\n.,:;!?()[]\"'«»–—-·/…"
# Not inside a longer word, an address ("naam@gemeente.nl") or a path.
BEFORE = r"(?<![\w@./\-])"
AFTER = r"(?![\w@/\-]|\.\w)"
SPOKEN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")


@dataclass(frozen=True)
class Dutch:
    pattern: re.Pattern[str]
    english: dict[str, str]  # piece -> the English of the msgid it came from

    def find(self, text: str) -> list[str]:
        found = {match.group(0) for match in self.pattern.finditer(text)}
        return sorted(found)


def _pieces(msgid: str) -> list[str]:
    pieces = []
    for raw in PLACEHOLDER_OR_TAG.split(msgid):
        piece = " ".join(raw.split()).strip(EDGES)
        if re.search(r"[^\W\d_]{2}", piece):  # at least one word of two letters
            pieces.append(piece)
    return pieces


def _first(value: str | tuple[str, ...] | list[str]) -> str:
    return value if isinstance(value, str) else value[0]


@cache
def dutch_catalogue() -> Dutch:
    with open(EN_PO, "rb") as po:
        catalog = read_po(po, locale="en")
    english_text = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple | list) else m.string
        for m in catalog
        if m.id
    )
    english: dict[str, str] = {}
    for message in catalog:
        if not message.id:
            continue
        msgid, msgstr = _first(message.id), _first(message.string)
        if not msgstr or " ".join(msgid.split()) == " ".join(msgstr.split()):
            continue
        for piece in _pieces(msgid):
            also_english = re.search(BEFORE + re.escape(piece) + AFTER, english_text, re.I)
            if also_english is None:
                english.setdefault(piece, msgstr)
    alternatives = sorted(english, key=len, reverse=True)
    pattern = re.compile(BEFORE + "(?:" + "|".join(map(re.escape, alternatives)) + ")" + AFTER)
    return Dutch(pattern, english)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in SPOKEN_ATTRIBUTES:
            if values.get(name):
                self.parts.append(str(values[name]))
        if tag in ("input", "button") and values.get("type") in ("submit", "button", "reset"):
            self.parts.append(str(values.get("value") or ""))
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def dutch_in(html: str) -> list[str]:
    """The Dutch catalogue pieces in a page's visible text."""
    return dutch_catalogue().find(visible_text(html))


def dutch_in_plain(text: str) -> list[str]:
    """The same for plain text (e-mail, calendar files)."""
    return dutch_catalogue().find(" ".join(text.split()))
