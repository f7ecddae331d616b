"""The English catalogue covers every Dutch msgid, and pages render in both languages.

The extraction here mirrors `make messages` (babel.cfg, `-k _l`, `--ignore-dirs`), in
memory, so a new Dutch string without an English translation fails this test. Fix it
with `make messages` and fill in the new msgstr in the English messages.po.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "community" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
INPUT_DIRS = ("community", "templates")
# Same as the `messages` target in the Makefile (checked by test_makefile_matches).
EXTRA_KEYWORDS = {"_l": None}
IGNORE_DIRS = "'.* __pycache__'"

Extracted = dict[tuple[str, str | None], list[str]]


def _directory_filter(path: str) -> bool:
    """Like `--ignore-dirs '.* __pycache__'`: keeps templates/_macros and _partials."""
    name = os.path.basename(path)
    return not (name.startswith(".") or name == "__pycache__")


def _msgid(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def _extract(visited: list[str] | None = None) -> Extracted:
    """msgid (singular) and context -> where it is used, for every extractable string."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **EXTRA_KEYWORDS}

    def record(filename: str, method: str, options: dict[str, str]) -> None:
        if visited is not None:
            visited.append(filename)

    found: Extracted = {}
    for directory in INPUT_DIRS:
        for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT / directory,
            method_map,
            options_map,
            keywords=keywords,
            callback=record,
            directory_filter=_directory_filter,
        ):
            key = (_msgid(message), context)
            found.setdefault(key, []).append(f"{directory}/{filename}:{lineno}")
    return found


def _read_catalog() -> Catalog:
    with open(EN_PO, "rb") as po:
        return read_po(po, locale="en")


def _compile_if_stale() -> None:
    """Write messages.mo when it is missing or older than messages.po (atomic for xdist)."""
    if EN_MO.exists() and EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime:
        return
    catalog = _read_catalog()
    descriptor, temporary = tempfile.mkstemp(dir=EN_MO.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(descriptor, "wb") as mo:
            write_mo(mo, catalog)
        os.chmod(temporary, 0o644)
        os.replace(temporary, EN_MO)
    except BaseException:
        os.unlink(temporary)
        raise


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogue() -> None:
    _compile_if_stale()


def _untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not all(strings)


def test_every_msgid_has_an_english_translation() -> None:
    extracted = _extract()
    assert extracted, "extraction found no messages; check babel.cfg"
    catalog = _read_catalog()
    assert not catalog.fuzzy, "the header of en/messages.po is fuzzy: pybabel skips the file"

    problems = []
    for (msgid, context), places in sorted(extracted.items(), key=lambda item: item[1][0]):
        message = catalog.get(msgid, context=context)
        where = places[0] + (f" (+{len(places) - 1} more)" if len(places) > 1 else "")
        if message is None:
            problems.append(f"missing   {msgid!r}  [{where}]")
        elif message.fuzzy:
            problems.append(f"fuzzy     {msgid!r}  [{where}]")
        elif _untranslated(message):
            problems.append(f"empty     {msgid!r}  [{where}]")
        else:
            problems.extend(
                f"invalid   {msgid!r}  [{where}]: {error}" for error in message.check(catalog)
            )
    assert not problems, (
        f"{len(problems)} msgid(s) without a usable English translation; run `make messages` "
        f"and fill them in {EN_PO.relative_to(ROOT)}:\n" + "\n".join(problems)
    )


def test_extraction_reads_every_module_and_template() -> None:
    """No source file is skipped, e.g. templates in _macros/ or _partials/."""
    visited: list[str] = []
    _extract(visited)
    expected = {
        path.relative_to(ROOT / directory).as_posix()
        for directory, suffixes in (("community", {".py"}), ("templates", {".html", ".txt"}))
        for path in (ROOT / directory).rglob("*")
        if path.suffix in suffixes
        and "__pycache__" not in path.parts
        and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
    }
    assert expected - set(visited) == set()


def test_makefile_matches_this_extraction() -> None:
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8")
    for flag in ("-F babel.cfg", "-k _l", f"--ignore-dirs {IGNORE_DIRS}", " ".join(INPUT_DIRS)):
        assert flag in recipe, f"the messages target no longer passes {flag!r}"


def test_catalogue_is_compiled() -> None:
    assert EN_MO.exists()
    assert EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("en", ["Sign in", "Password", "Forgotten your password?"], ["Inloggen", "Wachtwoord"]),
        ("nl", ["Inloggen", "Wachtwoord", "Wachtwoord vergeten?"], ["Sign in", "Password"]),
    ],
)
def test_login_page_renders_in_the_requested_language(
    client: FlaskClient, language: str, expected: list[str], absent: list[str]
) -> None:
    response = client.get("/login", headers={"Accept-Language": language})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    for text in expected:
        assert text in page
    for text in absent:
        assert text not in page


def test_english_error_page(client: FlaskClient) -> None:
    response = client.get("/does-not-exist", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page
    assert "Go to the home page" in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_moments_read_as_babel_writes_them(app, language):
    """The hand-written date format matches Babel's pattern, across DST changes."""
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_datetime

    from community.i18n import format_moment

    pattern = "d MMMM y, H.mm 'uur'" if language == "nl" else "d MMMM y, H:mm"
    moments = [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        datetime(2025, 12, 31, 23, 5, tzinfo=UTC),
        datetime(2026, 5, 1, 7, 30, tzinfo=UTC),
    ]
    with app.test_request_context(), force_locale(language):
        for moment in moments:
            assert format_moment(moment) == format_datetime(moment, pattern)
