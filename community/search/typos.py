"""A word one or two letters off still finds the document: nearby words of the index.

Only when a search finds nothing: each of its words that the index does not know is
replaced by up to MAX_ALTERNATIVES known words close to it (one letter off, found by
looking up every variant; two letters off among the words with the same first two
letters and about the same length). The new search runs through the same permission
filter as any other, and the page says that words like the typed ones were searched,
never which: a word of the index may be from a community the user is not in, so it is
only ever used, never shown.

The words of the index: SQLite's fts5vocab table over the FTS5 index (stems, see
stemming), PostgreSQL's search_words (lexemes, kept by a trigger; see search_ddl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import bindparam, text

from community.extensions import db
from community.search.stemming import stem

LETTERS = "abcdefghijklmnopqrstuvwxyz"
MAX_ALTERNATIVES = 5
MAX_SCANNED = 3000  # words read for the two-letters-off step, at most
MIN_LENGTH = 4  # shorter words are not corrected: too many neighbours
PLAIN = re.compile(r"^[a-z0-9]+$")


def one_off(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


def distance(a: str, b: str, bound: int = 2) -> int:
    """Optimal string alignment distance, or bound + 1 as soon as it exceeds `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        previous2, previous = previous, current
    return previous[-1]


def _known(words: Iterable[str]) -> dict[str, int]:
    """Which of these words the index holds, with how many documents have them (SQLite)."""
    wanted = sorted(set(words))
    if not wanted:
        return {}
    if db.engine.dialect.name == "postgresql":
        statement = text("SELECT word, 1 FROM search_words WHERE word IN :words")
    else:
        statement = text(
            "SELECT term, sum(doc) FROM search_vocabulary "
            "WHERE term IN :words AND col IN ('title', 'body') GROUP BY term"
        )
    statement = statement.bindparams(bindparam("words", expanding=True))
    rows = db.session.execute(statement, {"words": wanted})
    return {str(word): int(count) for word, count in rows}


def _near(word: str) -> dict[str, int]:
    """Words of the index with the same first two letters and about the same length."""
    low = word[:2]
    high = low[:-1] + chr(ord(low[-1]) + 1)
    values = {"low": low, "high": high, "shortest": len(word) - 2, "longest": len(word) + 2}
    if db.engine.dialect.name == "postgresql":
        statement = text(
            "SELECT word, 1 FROM search_words WHERE word >= :low AND word < :high "
            "AND length(word) BETWEEN :shortest AND :longest LIMIT :limit"
        )
    else:
        statement = text(
            "SELECT term, sum(doc) FROM search_vocabulary WHERE term >= :low AND term < :high "
            "AND length(term) BETWEEN :shortest AND :longest AND col IN ('title', 'body') "
            "GROUP BY term LIMIT :limit"
        )
    rows = db.session.execute(statement, {**values, "limit": MAX_SCANNED})
    return {str(term): int(count) for term, count in rows}


def alternatives(word: str) -> tuple[str, ...]:
    """Known index words close to a word the index does not know; () when it knows it."""
    key = stem(word)  # PostgreSQL stems with the same algorithm (see stemming)
    if len(key) < MIN_LENGTH or not PLAIN.match(key):
        return ()
    if _known([key]):
        return ()
    close = _known(one_off(key))
    ranked = sorted(close.items(), key=lambda item: (-item[1], item[0]))
    found = [term for term, _count in ranked if PLAIN.match(term)][:MAX_ALTERNATIVES]
    if not found and len(key) > MIN_LENGTH:
        scored = [
            (distance(key, term), -count, term)
            for term, count in _near(key).items()
            if PLAIN.match(term)
        ]
        found = [term for score, _count, term in sorted(scored) if score <= 2]
        found = found[:MAX_ALTERNATIVES]
    return tuple(found)
