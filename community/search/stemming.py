"""Dutch stems for the SQLite index, so that "winkels" finds "winkel" as on PostgreSQL.

PostgreSQL's `dutch` text search configuration stems with Snowball's Dutch (Porter)
algorithm; `snowballstemmer`'s `dutch_porter` is the same algorithm, so both databases
find the same words. SQLite's FTS5 has no stemming tokenizer that Python can add, so the
index is fed stems: the SQL function `leerkring_stems` (registered on every SQLite
connection, used by the triggers in community.search_ddl) turns a text into its stems, and
queries are stemmed with `stem` before they reach FTS5.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
SQL_FUNCTION = "leerkring_stems"

_stemmer = snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one word (lower case); words with digits or of one letter stay as they are."""
    lowered = word.lower()
    if len(lowered) < 3 or not lowered.isalpha():
        return lowered
    return str(_stemmer.stemWord(lowered))


def stem_text(text: str | None) -> str:
    """A text as the sequence of its stems (what the SQLite index holds)."""
    if not text:
        return ""
    return " ".join(stem(word) for word in WORD.findall(text))
