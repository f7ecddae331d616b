"""Attachments: checked by content, stored under generated names, gone again after a rollback."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage

from community import bsn, storage
from community.extensions import db
from community.storage import UploadError

GENERATED = re.compile(r"[0-9a-f]{32}")


# --- sample files -------------------------------------------------------------------------


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def make_zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def ooxml(part: str) -> bytes:
    main = {"word": "document.xml", "xl": "workbook.xml", "ppt": "presentation.xml"}[part]
    return make_zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", b"<Relationships/>"),
            (f"{part}/{main}", b"<document/>"),
        ]
    )


def odf(kind: str, *, mimetype_first: bool = True) -> bytes:
    mimetype = ("mimetype", f"application/vnd.oasis.opendocument.{kind}".encode())
    rest = [
        ("content.xml", b"<office:document-content/>"),
        ("META-INF/manifest.xml", b"<manifest:manifest/>"),
    ]
    return make_zip([mimetype, *rest] if mimetype_first else [*rest, mimetype])


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 64


# --- fixtures and helpers -----------------------------------------------------------------


@pytest.fixture
def upload_dir(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """UPLOAD_DIR in a fresh temporary folder (not created yet), inside a request."""
    directory = tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = str(directory)
    with app.test_request_context():
        yield directory


def upload(data: bytes, filename: str | None) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def files_in(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []


def refused(data: bytes, filename: str | None) -> str:
    with pytest.raises(UploadError) as caught:
        storage.store(upload(data, filename))
    return caught.value.message


# --- accepted -----------------------------------------------------------------------------

ACCEPTED = [
    ("verslag.pdf", pdf(), "application/pdf"),
    ("foto.png", png(), "image/png"),
    ("foto.jpg", jpeg(), "image/jpeg"),
    ("foto.JPEG", jpeg(), "image/jpeg"),
    (
        "notitie.docx",
        ooxml("word"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "cijfers.xlsx",
        ooxml("xl"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "presentatie.pptx",
        ooxml("ppt"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("notitie.odt", odf("text"), "application/vnd.oasis.opendocument.text"),
    ("cijfers.ods", odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("dia.odp", odf("presentation"), "application/vnd.oasis.opendocument.presentation"),
    ("lijst.csv", b"wijk;aantal\nNoord;12\nZuid;7\n", "text/csv"),
    ("lees mij.txt", "\ufeffGeachte collega's, één overzicht.\n".encode(), "text/plain"),
    ("leeg-ogend.txt", b"   \n  x < y\n", "text/plain"),
]


@pytest.mark.parametrize(("filename", "data", "media_type"), ACCEPTED)
def test_stores_allowed_types(
    upload_dir: Path, filename: str, data: bytes, media_type: str
) -> None:
    stored = storage.store(upload(data, filename))

    assert stored.media_type == media_type
    assert stored.original_filename == filename
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert GENERATED.fullmatch(stored.stored_name)
    path = Path(storage.path_of(stored.stored_name))
    assert path == upload_dir / stored.stored_name[:2] / stored.stored_name
    assert path.read_bytes() == data
    assert files_in(upload_dir) == [path]  # no temporary file left over


def test_each_upload_gets_its_own_name(upload_dir: Path) -> None:
    first = storage.store(upload(pdf(), "a.pdf"))
    second = storage.store(upload(pdf(), "a.pdf"))
    assert first.stored_name != second.stored_name
    assert first.sha256 == second.sha256
    assert len(files_in(upload_dir)) == 2


def test_allowed_extensions() -> None:
    assert set(storage.ALLOWED_EXTENSIONS) == {
        "pdf", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt"
    }  # fmt: skip
    assert storage.ALLOWED_EXTENSIONS[:2] == ("pdf", "docx")


# --- refused ------------------------------------------------------------------------------

NOT_ALLOWED = "Dit bestandstype is niet toegestaan. Toegestaan zijn: pdf, docx,"


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("tekening.svg", SVG),
        ("tekening.png", SVG),
        ("tekening.txt", SVG),
        ("tekening.csv", b"\xef\xbb\xbf  \n\t<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("pagina.html", HTML),
        ("pagina.htm", HTML),
        ("pagina.txt", HTML),
        ("pagina.pdf", HTML),
        ("pagina.docx", HTML),
        ("data.xml", b"<?xml version='1.0'?><a/>"),
        ("data.txt", b"<?xml version='1.0'?><a/>"),
        ("programma.exe", EXE),
        ("archief.zip", make_zip([("a.txt", b"a")])),
        ("README", b"just text"),
        ("README.", b"just text"),
        (".bashrc", b"alias ls=rm"),
        ("archief.tar.gz", b"\x1f\x8b\x08\x00"),
    ],
)
def test_refuses_types_that_are_not_allowed(upload_dir: Path, filename: str, data: bytes) -> None:
    assert refused(data, filename).startswith(NOT_ALLOWED)
    assert files_in(upload_dir) == []


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("setup.pdf", EXE),
        ("foto.pdf", png()),
        ("verslag.png", pdf()),
        ("foto.png", jpeg()),
        ("foto.jpg", png()),
        ("kapot.pdf", b"PDF-1.4 but no percent sign"),
        ("archief.docx", make_zip([("a.txt", b"a"), ("word/x.xml", b"<x/>")])),
        ("archief.docx", make_zip([("[Content_Types].xml", CONTENT_TYPES), ("a.txt", b"a")])),
        ("cijfers.docx", ooxml("xl")),
        ("notitie.xlsx", ooxml("word")),
        ("notitie.odt", ooxml("word")),
        ("notitie.docx", odf("text")),
        ("cijfers.odt", odf("spreadsheet")),
        ("notitie.odt", odf("text", mimetype_first=False)),
        ("notitie.odt", make_zip([("mimetype", b"application/zip")])),
        ("kapot.docx", b"PK\x03\x04" + b"\x00" * 100),
        ("setup.docx", EXE + ooxml("word")),
        ("nul.txt", b"tekst\x00met nul"),
        ("utf16.txt", "\ufefftekst".encode("utf-16")),
        ("latin1.csv", "café;één\n".encode("latin-1")),
        ("foto.txt", png()),
    ],
)
def test_refuses_content_that_does_not_match_the_extension(
    upload_dir: Path, filename: str, data: bytes
) -> None:
    extension = filename.rsplit(".", 1)[1]
    assert refused(data, filename) == (
        f"De inhoud van het bestand past niet bij de extensie .{extension}."
    )
    assert files_in(upload_dir) == []


def test_refuses_an_empty_file(upload_dir: Path) -> None:
    assert refused(b"", "leeg.pdf") == "Het bestand is leeg."
    assert files_in(upload_dir) == []


@pytest.mark.parametrize("filename", [None, "", "   "])
def test_refuses_a_missing_file(upload_dir: Path, filename: str | None) -> None:
    assert refused(pdf(), filename) == "Er is geen bestand gekozen."


def test_size_limit_from_config(app: Flask, upload_dir: Path) -> None:
    app.config["UPLOAD_MAX_FILE_SIZE"] = 100

    assert storage.store(upload(b"x" * 100, "precies.txt")).size == 100
    assert refused(b"x" * 101, "te-groot.txt") == "Het bestand is groter dan 100 bytes."
    assert len(files_in(upload_dir)) == 1


def test_size_limit_defaults_to_10_mib(app: Flask, upload_dir: Path) -> None:
    app.config.pop("UPLOAD_MAX_FILE_SIZE", None)
    data = b"%PDF-1.4\n" + b"x" * (10 * 1024 * 1024 - 8)

    assert refused(data, "groot.pdf") == "Het bestand is groter dan 10 MB."
    assert files_in(upload_dir) == []


class EndlessStream(io.RawIOBase):
    """An upload that never ends; counts what was read."""

    def __init__(self) -> None:
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:
        buffer[:] = b"a" * len(buffer)
        self.consumed += len(buffer)
        return len(buffer)


def test_reading_stops_as_soon_as_the_limit_is_exceeded(app: Flask, upload_dir: Path) -> None:
    app.config["UPLOAD_MAX_FILE_SIZE"] = 1000
    stream = EndlessStream()

    with pytest.raises(UploadError, match="groter dan"):
        storage.store(FileStorage(stream=stream, filename="eindeloos.txt"))
    assert stream.consumed <= 1000 + 64 * 1024


# --- filenames ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\evil\\x.txt", "x.txt"),
        ("/var/www/static/evil.txt", "evil.txt"),
        ("..\\..\\boot.ini\\x.txt", "x.txt"),
        ("regel\neen\r\ntwee\tdrie.txt", "regel een twee drie.txt"),
        ("bel\x07\x1b[31mrood\x00\x7f.txt", "bel[31mrood.txt"),
        ("omgekeerd\u202etxt.exe.txt", "omgekeerdtxt.exe.txt"),
        ("  veel    ruimte   .txt  ", "veel ruimte.txt"),
        ("punt.txt.", "punt.txt"),
        ("HOOFDLETTERS.TXT", "HOOFDLETTERS.TXT"),
        (".txt", "bestand.txt"),
        ("\x01\x02.txt", "bestand.txt"),
        ("../ .txt", "bestand.txt"),
    ],
)
def test_filename_is_cleaned_for_display(upload_dir: Path, filename: str, shown: str) -> None:
    stored = storage.store(upload(b"tekst", filename))
    assert stored.original_filename == shown
    assert [p.name for p in files_in(upload_dir)] == [stored.stored_name]


def test_long_filename_is_shortened_keeping_the_extension(upload_dir: Path) -> None:
    stored = storage.store(upload(pdf(), "a" * 496 + ".pdf"))
    assert len(stored.original_filename) == 200
    assert stored.original_filename == "a" * 196 + ".pdf"


def test_filename_is_never_used_on_disk(upload_dir: Path) -> None:
    stored = storage.store(upload(pdf(), "../../../geheim.pdf"))
    assert [p.relative_to(upload_dir) for p in files_in(upload_dir)] == [
        Path(stored.stored_name[:2]) / stored.stored_name
    ]
    assert not (upload_dir.parent / "geheim.pdf").exists()


# --- transactions -------------------------------------------------------------------------


def test_rollback_removes_the_file(upload_dir: Path) -> None:
    path = Path(storage.path_of(storage.store(upload(pdf(), "a.pdf")).stored_name))
    assert path.exists()

    db.session.rollback()

    assert not path.exists()


def test_commit_keeps_the_file(upload_dir: Path) -> None:
    path = Path(storage.path_of(storage.store(upload(pdf(), "a.pdf")).stored_name))

    db.session.commit()
    db.session.rollback()  # a later transaction does not touch it
    db.session.close()

    assert path.exists()


def test_closing_the_session_without_commit_removes_the_file(upload_dir: Path) -> None:
    path = Path(storage.path_of(storage.store(upload(pdf(), "a.pdf")).stored_name))

    db.session.close()  # what the request teardown does after an exception

    assert not path.exists()


def test_rolled_back_savepoint_removes_only_its_own_files(upload_dir: Path) -> None:
    outer = Path(storage.path_of(storage.store(upload(pdf(), "a.pdf")).stored_name))
    savepoint = db.session.begin_nested()
    inner = Path(storage.path_of(storage.store(upload(pdf(), "b.pdf")).stored_name))

    savepoint.rollback()

    assert outer.exists()
    assert not inner.exists()
    db.session.commit()
    assert outer.exists()


def test_released_savepoint_still_follows_the_outer_transaction(upload_dir: Path) -> None:
    with db.session.begin_nested():
        inner = Path(storage.path_of(storage.store(upload(pdf(), "b.pdf")).stored_name))
    assert inner.exists()

    db.session.rollback()

    assert not inner.exists()


def test_released_savepoint_is_kept_by_the_outer_commit(upload_dir: Path) -> None:
    with db.session.begin_nested():
        inner = Path(storage.path_of(storage.store(upload(pdf(), "b.pdf")).stored_name))

    db.session.commit()
    db.session.close()

    assert inner.exists()


def test_discard_deletes_the_file(upload_dir: Path) -> None:
    stored = storage.store(upload(pdf(), "a.pdf"))
    db.session.commit()

    storage.discard(stored.stored_name)
    storage.discard(stored.stored_name)  # already gone: fine

    assert files_in(upload_dir) == []
    with pytest.raises(ValueError, match="not a stored file name"):
        storage.discard("../x")


# --- paths --------------------------------------------------------------------------------


def test_path_of_a_generated_name(upload_dir: Path) -> None:
    name = "0123456789abcdef0123456789abcdef"
    path = storage.path_of(name)
    assert os.path.isabs(path)
    assert path == str(upload_dir / "01" / name)


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "..",
        "",
        "/etc/passwd",
        "01/23456789abcdef0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef0123456789abcde",
        "0123456789abcdef0123456789abcdef0",
        "0123456789abcdef0123456789abcdef\n",
        "0123456789abcdef0123456789abcdeg",
        "../../0123456789abcdef0123456789",
    ],
)
def test_path_of_refuses_other_names(upload_dir: Path, name: str) -> None:
    with pytest.raises(ValueError, match="not a stored file name"):
        storage.path_of(name)


def test_upload_dir_inside_the_static_folder_is_refused(app: Flask, upload_dir: Path) -> None:
    assert app.static_folder is not None
    app.config["UPLOAD_DIR"] = os.path.join(app.static_folder, "uploads")
    with pytest.raises(RuntimeError, match="static"):
        storage.path_of("0123456789abcdef0123456789abcdef")


# --- BSN-like numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "111222333",
        "Bewoner met BSN 111222333 meldde zich.",
        "bsn:123456782, geboren 1970",
        "dossier A123456782B",
        "eerst 123456789 en dan 111222333",
        "111 222 333",
        "BSN 1234.56.782 (paspoort)",
        "123 456 782",
        "123-456-782",
        "123.456.782",
        "12 34 56 782",
        "bsn\u00a0123\u00a0456\u00a0782",
        "zie 123456782.",
    ],
)
def test_bsn_like_finds_numbers_passing_the_elfproef(text: str) -> None:
    assert bsn.bsn_like(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "geen nummer",
        "123456789",
        "000000000",
        "1111222333",
        "1123456782",
        "1112223330",
        "0612345678",
        "06-12345678",
        "12345678",
        "1234.56.789",
        "06 123 456 78",
        "020 123 4567",
        "3.141592653",
        "12-03-2024 om 12.30",
        "een bedrag van 123.456.782,50 euro",
        "1234.56.782.1",
        "9123 456 782",
    ],
)
def test_bsn_like_ignores_other_numbers(text: str) -> None:
    assert not bsn.bsn_like(text)
